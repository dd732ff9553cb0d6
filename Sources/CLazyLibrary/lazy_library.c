// Shared libraries opened when first needed rather than when the program starts.
//
// libcurl and libpq bring about thirty libraries each (TLS, Kerberos, LDAP, IDN, HTTP/2...),
// and the dynamic loader maps and relocates every one of them before `main`, whatever the
// command: 5-6 ms of a 10 ms `tradeoff --version` on this machine (a C `main` linked against
// libcurl and libpq against one linked against neither). `validate` and `report` use neither.
#include "CLazyLibrary.h"

#include <dlfcn.h>
#include <stdio.h>

int tradeoff_lazy_library_open(const char *name, const char *const *symbols, void **slots, int count,
                               char *failure, unsigned long capacity) {
    // RTLD_LOCAL: its symbols stay out of the global scope, so nothing else binds to them.
    void *library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        snprintf(failure, capacity, "%s", dlerror());
        return -1;
    }
    for (int index = 0; index < count; index++) {
        dlerror();
        slots[index] = dlsym(library, symbols[index]);
        if (slots[index] == NULL) {
            const char *reason = dlerror();
            snprintf(failure, capacity, "%s", reason ? reason : symbols[index]);
            dlclose(library);
            return -1;
        }
    }
    // Never closed: the functions are used until the program ends.
    return 0;
}
