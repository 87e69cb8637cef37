// SPDX-License-Identifier: GPL-2.0
#include <host_kernel.h>

#include "tests.h"

void scale_test(void) { }
