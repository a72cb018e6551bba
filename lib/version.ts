/** rivulet's own version. */
export const VERSION = '0.1.0';
/** The Redis release whose behaviour rivulet follows (INFO redis_version; client libraries gate features on it). */
export const REDIS_VERSION = '7.4.0';
