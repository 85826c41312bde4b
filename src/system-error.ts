/** The code of a failed system call (`ENOENT`, `EADDRINUSE`, ...) or driver error, when it has one. */
export const errorCode = (error: unknown) => (error as { code?: unknown } | null)?.code;
