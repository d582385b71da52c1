/**
 * Starts a local server on loopback. A port already taken is a clear message, not a stack trace
 * (the usual cause: Privacy Desk is already running).
 */
import type { EventEmitter } from "node:events";

export function listenOn(
  server: EventEmitter & { listen(port: number, host: string, onListening: () => void): unknown },
  port: number,
  host: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(
              `Port ${port} on ${host} is already in use: is Privacy Desk already running? Set the port variables to choose others.`,
            )
          : error,
      ),
    );
    server.listen(port, host, () => resolve());
  });
}
