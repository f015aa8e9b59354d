// The declaration in include/CFuzzerDriver.h is the whole module; libFuzzer (-sanitize=fuzzer) defines it.
#include "CFuzzerDriver.h"
