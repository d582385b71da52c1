/**
 * The local stand-in for the Cognito user pool: an ES256 key pair kept under .data/, used to sign
 * officer tokens (`npm run officer-token`) and to check them at the local API.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";

export interface OfficerKeys {
  publicKey: CryptoKey | Uint8Array;
  privateKey: CryptoKey | Uint8Array;
  issuer: string;
  audience: string;
}

const ISSUER = "privacy-desk-local";
const AUDIENCE = "privacy-desk-officers";

export async function loadOfficerKeys(dataDir: string): Promise<OfficerKeys> {
  const file = join(dataDir, "officer-signing-key.json");
  let jwks: { privateJwk: JWK; publicJwk: JWK } | undefined;
  if (existsSync(file)) {
    try {
      jwks = JSON.parse(readFileSync(file, "utf8")) as typeof jwks;
    } catch {
      console.warn(`warning: ${file} is unreadable; creating a new officer signing key`);
    }
  }
  if (!jwks) {
    const pair = await generateKeyPair("ES256", { extractable: true });
    jwks = {
      privateJwk: await exportJWK(pair.privateKey),
      publicJwk: await exportJWK(pair.publicKey),
    };
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(jwks), { mode: 0o600 });
  }
  return {
    privateKey: await importJWK(jwks.privateJwk, "ES256"),
    publicKey: await importJWK(jwks.publicJwk, "ES256"),
    issuer: ISSUER,
    audience: AUDIENCE,
  };
}

export function signOfficerToken(keys: OfficerKeys, email: string, hours = 8): Promise<string> {
  return new SignJWT({ email, "cognito:groups": ["privacy-officers"] })
    .setProtectedHeader({ alg: "ES256" })
    .setSubject(email)
    .setIssuer(keys.issuer)
    .setAudience(keys.audience)
    .setIssuedAt()
    .setExpirationTime(`${hours}h`)
    .sign(keys.privateKey);
}
