#include <sqlite3.h>

/// SQLite without its count of allocated memory (nothing here reads it): that count takes a lock shared by every
/// connection on every allocation, which the connections of parallel readers would otherwise wait for. Must come
/// before the first connection; afterwards SQLite refuses it (SQLITE_MISUSE) and keeps counting.
static inline int grensverkeer_sqlite_uncounted_memory(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
