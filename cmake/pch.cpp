// Carrier of the shared precompiled header (see HashrlLibrary.cmake); it defines nothing.
