/**
 * The fee rule. The policy's default is no fee; a reasonable one may be charged for complex
 * access or deletion requests. Never for complaints, corrections or marketing opt-outs, and never
 * under the GDPR unless the request is manifestly unfounded or excessive (Art. 12(5)).
 */
import type { PrivacyRequest } from "./model.js";

const NEVER_CHARGED = new Set<PrivacyRequest["type"]>([
  "complaint",
  "correction",
  "marketing-opt-out",
]);

export function feeApplies(
  request: Pick<PrivacyRequest, "type" | "jurisdiction" | "manifestlyUnfoundedOrExcessive">,
): boolean {
  if (NEVER_CHARGED.has(request.type)) return false;
  if (request.jurisdiction === "EU") return request.manifestlyUnfoundedOrExcessive === true;
  return true;
}
