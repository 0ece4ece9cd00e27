// Anchor translation unit for the shared precompiled header (see cmake/Helpers.cmake).
