#ifndef RUNDIARY_CLIBPQ_SHIM_H
#define RUNDIARY_CLIBPQ_SHIM_H

#include <libpq-fe.h>

#endif
