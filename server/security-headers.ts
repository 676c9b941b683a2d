import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

/**
 * The Content-Security-Policy every response carries. Scripts run only from this origin or
 * with the per-response nonce (Remix's inline hydration scripts get it through root.tsx).
 * Styles allow inline attributes because React, recharts and frappe-gantt set `style=""`;
 * an injected style cannot run code. `connect-src 'self'` covers the same-origin
 * collaboration websocket (CSP Level 3 matches ws:/wss: for 'self').
 */
export function contentSecurityPolicy(nonce: string, mode: "production" | "development" | "test"): string {
  const connect = mode === "development" ? "'self' ws://localhost:* http://localhost:*" : "'self'";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function cspNonceOf(res: Response): string {
  return (res.locals as { cspNonce?: string }).cspNonce ?? "";
}

/**
 * Sets the security headers on every response — pages, data, static files and error
 * pages alike — before anything else can answer.
 */
export function securityHeaders(mode: "production" | "development" | "test") {
  return (req: Request, res: Response, next: NextFunction) => {
    const nonce = randomBytes(16).toString("base64");
    (res.locals as { cspNonce?: string }).cspNonce = nonce;
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, mode));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    // Only over https: a browser ignores HSTS on http, and a local http deployment must keep working.
    if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  };
}
