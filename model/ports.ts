/**
 * Ports and names every tier shares, declared once: the data tier's listeners, the edge's, and the
 * Kubernetes namespace the portal runs in. A security group, a NACL, a NetworkPolicy and an
 * environment variable that name the same service read the same constant.
 */

/** PostgreSQL (RDS) listener. */
export const POSTGRES_PORT = 5432;
/** Redis / Valkey (ElastiCache) listener. */
export const REDIS_PORT = 6379;
/** HTTPS: the ALB listener, the interface VPC endpoints, OpenSearch. */
export const HTTPS_PORT = 443;
/**
 * DNS (UDP, and TCP for answers over 512 bytes or truncated ones): the Route 53 Resolver outbound endpoint
 * forwards the on-prem domains to the data centre's DNS servers on it (components/network/onPremDns.ts).
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-outbound-queries.html
 */
export const DNS_PORT = 53;
/** HTTP: only to redirect to HTTPS. */
export const HTTP_PORT = 80;
/**
 * The ALB's listener for Route53 health checkers only: they negotiate TLS 1.0-1.2, never 1.3, so they cannot
 * check the TLS 1.3-only citizen listener on 443 (components/app/edge.ts).
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html
 */
export const HEALTH_CHECK_PORT = 8443;

/** Namespace of the portal's workloads on both clusters. */
export const APP_NAMESPACE = "citizen-portal";
