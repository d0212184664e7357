/**
 * The CrossGuard pack: `pulumi preview --policy-pack policy [--policy-pack-config policy/config/<stack>.json]`.
 * Only gathers the guardrails (policies.ts); constructing PolicyPack starts the analyzer's
 * gRPC server, so tools and tests import policies.ts, never this file.
 *
 * If HYBRID_POLICY_CONFIG names the stack's policy config file (CI sets it to the same file
 * it passes as --policy-pack-config), the pack refuses to load when that file lowers a
 * mandatory policy without a waiverReason or disables one. Whatever config the CLI sends, the
 * pack refuses it when it disables a mandatory policy (configureGuard.ts): a disabled policy
 * never runs, so its violations would vanish from every report.
 */
import { PolicyPack } from "@pulumi/policy";
import { readFileSync } from "node:fs";
import { guardConfigure } from "./configureGuard";
import { PACK_NAME, allPolicies } from "./policies";
import { validatePackConfig } from "./waivers";

const configFile = process.env.HYBRID_POLICY_CONFIG;
if (configFile) validatePackConfig(JSON.parse(readFileSync(configFile, "utf8")), allPolicies, configFile);

// The same gRPC module @pulumi/policy's server registers its handlers with.
// eslint-disable-next-line @typescript-eslint/no-require-imports
guardConfigure(require(require.resolve("@grpc/grpc-js", { paths: [require.resolve("@pulumi/policy")] })).Server, allPolicies);

new PolicyPack(PACK_NAME, {
    description:
        "Guardrails for the hybrid citizen platform: encryption, multi-AZ, isolated data, zero-trust exposure, audit, hardened workloads, supply chain and WAF.",
    enforcementLevel: "mandatory",
    policies: allPolicies,
});
