/** POST /requests/{id}/withdraw — the requester withdraws. */
import { emptySchema } from "../domain/api-schemas.js";
import { apiHandler } from "../http/api-handler.js";
import { withdrawRequest } from "../use-cases/requester.js";
import { deps } from "./wiring.js";

export const handler = apiHandler(
  { auth: "status-token", body: emptySchema },
  ({ id, statusToken }) => withdrawRequest(deps(), id, statusToken),
);
