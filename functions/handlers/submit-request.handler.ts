/** POST /requests — a requester opens a privacy request. */
import { submitRequestSchema } from "../domain/api-schemas.js";
import { apiHandler } from "../http/api-handler.js";
import { submitRequest } from "../use-cases/requester.js";
import { deps } from "./wiring.js";

export const handler = apiHandler(
  { auth: "public", body: submitRequestSchema, successStatus: 202 },
  async ({ body, idempotencyKey }) => {
    const { replayed: _replayed, ...result } = await submitRequest(deps(), body, {
      channel: "web",
      idempotencyKey,
    });
    return result;
  },
);
