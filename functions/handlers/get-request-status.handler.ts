/** GET /requests/{id} — the requester's status page, opened with their status token. */
import { apiHandler } from "../http/api-handler.js";
import { getRequestStatus } from "../use-cases/requester.js";
import { deps } from "./wiring.js";

export const handler = apiHandler({ auth: "status-token" }, ({ id, statusToken }) =>
  getRequestStatus(deps(), id, statusToken),
);
