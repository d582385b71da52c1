/**
 * The background functions' edge (the HTTP routes have theirs in functions/http): the event is
 * checked with its zod schema, and a bad one fails the invocation with the handler's own error,
 * naming every field that is wrong, before any work is done.
 */
import type { z } from "zod";

export function parseEvent<S extends z.ZodTypeAny>(
  schema: S,
  event: unknown,
  Failure: new (message: string) => Error,
  what: string,
): z.infer<S> {
  const parsed = schema.safeParse(event);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "event"}: ${i.message}`);
  throw new Failure(`Not ${what}: ${issues.join("; ")}`);
}
