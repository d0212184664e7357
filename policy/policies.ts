/**
 * Every guardrail of the pack, grouped by concern. Imported by the pack (index.ts) and by
 * the offline runner (tools/policyRunner.ts); importing this file starts nothing.
 */
import { alarmPolicies } from "./alarms";
import { auditPolicies } from "./audit";
import { collectionPolicies } from "./collection";
import { availabilityPolicies } from "./availability";
import { dataProtectionPolicies } from "./dataProtection";
import { deployabilityPolicies } from "./deployability";
import { edgePolicies } from "./edge";
import { encryptionPolicies } from "./encryption";
import { endpointPolicyPolicies } from "./endpointPolicies";
import { exposurePolicies } from "./exposure";
import { identityPolicies } from "./identity";
import { keyPolicyPolicies } from "./keyPolicies";
import { Guardrail } from "./lib";
import { logShippingPolicies } from "./logShipping";
import { reachabilityPolicies } from "./reachability";
import { supplyChainPolicies } from "./supplyChain";
import { workloadPolicies } from "./workloads";

export const PACK_NAME = "hybrid-guardrails";

export const allPolicies: Guardrail[] = [
    ...encryptionPolicies,
    ...availabilityPolicies,
    ...dataProtectionPolicies,
    ...exposurePolicies,
    ...identityPolicies,
    ...auditPolicies,
    ...workloadPolicies,
    ...supplyChainPolicies,
    ...edgePolicies,
    ...keyPolicyPolicies,
    ...deployabilityPolicies,
    ...reachabilityPolicies,
    ...alarmPolicies,
    ...endpointPolicyPolicies,
    // issue #13 part D
    ...logShippingPolicies,
    // issue #13: the collectors (components/observability/collection).
    ...collectionPolicies,
];
