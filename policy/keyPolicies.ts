/**
 * Deployability (issue #11): KMS key policies admit every AWS service that uses the key, with the
 * actions and conditions AWS documents, joined from the resource that uses the key.
 */
import { Guardrail } from "./lib";

export const keyPolicyPolicies: Guardrail[] = [];
