#pragma once
// Small file helpers shared by every reader and writer.
#include <cstddef>
#include <cstdint>
#include <string>

namespace hashrl {

// Reads a whole file; throws naming the path when it is missing or unreadable, a directory or a
// device (only regular files and pipes are read).
std::string read_file(const std::string& path);

// Writes `bytes` to `path` atomically: into a temporary file beside it, flushed to disk, then
// renamed over the target, and the rename flushed too. A crash at any moment (a power cut included)
// leaves either the old file or the new one whole.
void write_file_atomic(const std::string& path, const std::string& bytes);

// The CRC-32 (zlib's polynomial) of `size` bytes: what index files and the items log check records by.
uint32_t crc32_of(const char* data, size_t size);

// Flushes a directory's entries to disk (a file created or renamed in it survives a power cut).
void sync_directory(const std::string& dir);

// Removes `path` and everything below it, without following symbolic links; a missing path is not
// an error. Throws naming what could not be removed.
// Not std::filesystem::remove_all: PyTorch's wheels (2.5 on) export the copy of libstdc++'s
// recursive_directory_iterator they link statically (pytorch/pytorch#133437), and a program built
// by another GCC against such a LibTorch can bind remove_all's iterator to that copy, of another
// layout. The suspected cause of the test binary's segmentation faults on the CUDA machine
// (bench/README.md, "A first CUDA build"): they were in the tests that clear a scratch folder.
void remove_tree(const std::string& path);

}  // namespace hashrl
