// A small fixed-size thread pool for the kernel sums: threads are created once (engine or
// process lifetime), never per step. parallelFor splits [begin, end) into one contiguous chunk
// per thread (static chunking: the kernel-sum rows cost the same, so no work stealing needed)
// and the calling thread runs the first chunk itself.
//
// Thread rules: any thread may call parallelFor; calls from different threads on the same pool
// are serialized (a mutex), and a call made from inside a chunk (nested) runs inline on the
// calling thread, so it cannot deadlock. Destroy the pool only when no call is in progress.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace driftlab {

class ThreadPool {
 public:
  // threads <= 0: std::thread::hardware_concurrency() (at least 1). The pool starts
  // threads - 1 workers; the caller of parallelFor is the remaining one.
  explicit ThreadPool(int threads = 0);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return size_; }  // threads taking part in a parallelFor (workers + caller)

  // fn(chunk_begin, chunk_end, chunk_index) for consecutive chunks covering [begin, end);
  // at most size() chunks, none smaller than min_chunk items (so tiny ranges stay on one
  // thread). Returns after every chunk finished. If a chunk throws, the first exception is
  // rethrown here after all chunks finished.
  void parallelFor(long begin, long end, const std::function<void(long, long, int)>& fn,
                   long min_chunk = 1);

 private:
  void workerLoop(int index);

  int size_ = 1;
  std::vector<std::thread> workers_;
  std::mutex call_mutex_;  // serializes parallelFor calls from different threads

  std::mutex mutex_;  // guards everything below
  std::condition_variable start_cv_, done_cv_;
  std::uint64_t generation_ = 0;  // bumped per dispatched job
  bool stop_ = false;
  const std::function<void(long, long, int)>* job_ = nullptr;
  long job_begin_ = 0, job_chunk_ = 0, job_end_ = 0;
  int job_chunks_ = 0;
  int pending_ = 0;  // worker chunks not yet finished
  std::exception_ptr error_;
};

// The pool the kernel sums use on the calling thread: the innermost ThreadPoolScope's pool on
// this thread, else a process-wide pool with hardware_concurrency() threads (created on
// first use). Any thread.
ThreadPool& currentThreadPool();

// Makes `pool` the current pool of the constructing thread until destruction (the engine
// owns a pool and installs it around its step; the bench installs a pool of T threads).
class ThreadPoolScope {
 public:
  explicit ThreadPoolScope(ThreadPool& pool);
  ~ThreadPoolScope();
  ThreadPoolScope(const ThreadPoolScope&) = delete;
  ThreadPoolScope& operator=(const ThreadPoolScope&) = delete;

 private:
  ThreadPool* previous_;
};

}  // namespace driftlab
