#include "driftlab/base/thread_pool.hpp"

#include <algorithm>
#include <exception>

namespace driftlab {

namespace {
// true while this thread runs a chunk of some pool: a nested parallelFor then runs inline
thread_local bool t_inside_chunk = false;
thread_local ThreadPool* t_current_pool = nullptr;

struct InsideChunk {
  bool previous = t_inside_chunk;
  InsideChunk() { t_inside_chunk = true; }
  ~InsideChunk() { t_inside_chunk = previous; }
};
}  // namespace

ThreadPool::ThreadPool(int threads) {
  if (threads <= 0) threads = static_cast<int>(std::thread::hardware_concurrency());
  size_ = std::max(1, threads);
  workers_.reserve(size_ - 1);
  for (int i = 1; i < size_; ++i) workers_.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  start_cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::workerLoop(int index) {
  std::uint64_t seen = 0;
  for (;;) {
    const std::function<void(long, long, int)>* job = nullptr;
    long lo = 0, hi = 0;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      start_cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      if (index >= job_chunks_) continue;  // this job has fewer chunks than threads
      job = job_;
      lo = job_begin_ + index * job_chunk_;
      hi = std::min(job_end_, lo + job_chunk_);
    }
    std::exception_ptr err;
    try {
      InsideChunk inside;
      (*job)(lo, hi, index);
    } catch (...) {
      err = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (err && !error_) error_ = err;
      if (--pending_ == 0) done_cv_.notify_one();
    }
  }
}

void ThreadPool::parallelFor(long begin, long end, const std::function<void(long, long, int)>& fn,
                             long min_chunk) {
  if (end <= begin) return;
  const long n = end - begin;
  min_chunk = std::max(1L, min_chunk);
  const long max_chunks = std::max(1L, n / min_chunk);
  const int chunks = static_cast<int>(std::min<long>(size_, max_chunks));
  if (chunks <= 1 || t_inside_chunk) {  // serial, or nested inside a chunk: run inline
    fn(begin, end, 0);
    return;
  }
  std::lock_guard<std::mutex> call_lock(call_mutex_);
  const long chunk = (n + chunks - 1) / chunks;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = &fn;
    job_begin_ = begin;
    job_end_ = end;
    job_chunk_ = chunk;
    job_chunks_ = chunks;
    pending_ = chunks - 1;
    error_ = nullptr;
    ++generation_;
  }
  start_cv_.notify_all();
  std::exception_ptr own_error;
  try {
    InsideChunk inside;
    fn(begin, std::min(end, begin + chunk), 0);
  } catch (...) {
    own_error = std::current_exception();
  }
  std::exception_ptr err;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    done_cv_.wait(lock, [&] { return pending_ == 0; });
    job_ = nullptr;
    err = own_error ? own_error : error_;
    error_ = nullptr;
  }
  if (err) std::rethrow_exception(err);
}

ThreadPool& currentThreadPool() {
  if (t_current_pool) return *t_current_pool;
  static ThreadPool shared_pool(0);  // process lifetime; threads created once
  return shared_pool;
}

ThreadPoolScope::ThreadPoolScope(ThreadPool& pool) : previous_(t_current_pool) { t_current_pool = &pool; }
ThreadPoolScope::~ThreadPoolScope() { t_current_pool = previous_; }

}  // namespace driftlab
