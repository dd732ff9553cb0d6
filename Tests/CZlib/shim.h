// The system zlib, for the tests alone: they inflate the PNG screenshots the browser takes
// (Foundation on Linux has no image decoder).
#include <zlib.h>
