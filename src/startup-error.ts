/** A start-up mistake the operator can fix; printed as one line, without a stack. */
export class StartupError extends Error {}
