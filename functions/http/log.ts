/**
 * One JSON line per log entry, ids only. Nothing here may carry a name, an address, a description,
 * a code or a token: callers pass ids, routes, statuses and error names.
 */
type LogFields = Record<string, string | number | boolean | undefined>;

export function logInfo(message: string, fields: LogFields = {}): void {
  console.log(JSON.stringify({ level: "INFO", message, ...fields }));
}

export function logError(message: string, fields: LogFields = {}): void {
  console.error(JSON.stringify({ level: "ERROR", message, ...fields }));
}
