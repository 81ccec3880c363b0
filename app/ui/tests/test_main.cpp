// doctest main of driftlab_ui_tests (GUI-free parts of app/ui).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
