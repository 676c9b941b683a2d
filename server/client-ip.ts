import type { IncomingMessage } from "node:http";
import proxyAddr from "proxy-addr";

/**
 * Which hops in front of the app may be believed about the client's address: none, the
 * nearest `hops` proxies, or proxies at these addresses/subnets. Never "everyone": that
 * would let a client name its own IP in X-Forwarded-For and pick the address the login
 * throttle and connection caps count against.
 */
export type TrustProxy = { kind: "none" } | { kind: "hops"; hops: number } | { kind: "addresses"; addresses: string[] };

export type TrustFunction = (address: string, hop: number) => boolean;

export function trustFunction(trust: TrustProxy): TrustFunction {
  switch (trust.kind) {
    case "none":
      return () => false;
    case "hops":
      return (_address, hop) => hop < trust.hops;
    case "addresses":
      return proxyAddr.compile(trust.addresses);
  }
}

/** The right-most address in the forwarding chain that is not a trusted proxy. */
export function clientIpOf(request: IncomingMessage, trust: TrustFunction): string {
  if (!request.socket.remoteAddress) return "unknown";
  return proxyAddr(request, trust);
}
