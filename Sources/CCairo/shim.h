#ifndef RUNDIARY_CCAIRO_SHIM_H
#define RUNDIARY_CCAIRO_SHIM_H

#include <cairo.h>
#include <cairo-pdf.h>

#endif
