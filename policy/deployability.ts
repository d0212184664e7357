/**
 * Deployability (issue #11): AWS's own rules checked before anything is created: versions inside
 * their support window, EC2 tag specifications, physical and global names, SNS publishers,
 * service-linked roles.
 */
import { Guardrail } from "./lib";

export const deployabilityPolicies: Guardrail[] = [];
