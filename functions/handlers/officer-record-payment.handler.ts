/** POST /officer/requests/{id}/payment — the fee was paid. */
import { paymentSchema } from "../domain/api-schemas.js";
import { apiHandler } from "../http/api-handler.js";
import { officerRecordPayment } from "../use-cases/officer.js";
import { deps } from "./wiring.js";

export const handler = apiHandler({ auth: "officer", body: paymentSchema }, ({ id, actor, body }) =>
  officerRecordPayment(deps(), id, actor, body.note),
);
