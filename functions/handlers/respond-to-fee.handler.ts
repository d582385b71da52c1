/** POST /requests/{id}/fee-response — accept or decline the stated fee. */
import { feeResponseSchema } from "../domain/api-schemas.js";
import { apiHandler } from "../http/api-handler.js";
import { respondToFee } from "../use-cases/requester.js";
import { deps } from "./wiring.js";

export const handler = apiHandler(
  { auth: "status-token", body: feeResponseSchema },
  ({ id, statusToken, body }) => respondToFee(deps(), id, statusToken, body.accept),
);
