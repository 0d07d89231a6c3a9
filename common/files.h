#pragma once
// Small file helpers shared by every reader and writer.
#include <string>

namespace hashrl {

// Reads a whole file; throws naming the path when it is missing or unreadable, a directory or a
// device (only regular files and pipes are read).
std::string read_file(const std::string& path);

// Writes `bytes` to `path` atomically: into a temporary file beside it, flushed to disk, then
// renamed over the target, and the rename flushed too. A crash at any moment (a power cut included)
// leaves either the old file or the new one whole.
void write_file_atomic(const std::string& path, const std::string& bytes);

// Flushes a directory's entries to disk (a file created or renamed in it survives a power cut).
void sync_directory(const std::string& dir);

}  // namespace hashrl
