message(STATUS "app tests placeholder")
