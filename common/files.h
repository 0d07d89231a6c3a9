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

}  // namespace hashrl
