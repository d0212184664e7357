/**
 * The served pack's own check of the config the Pulumi CLI sends it (`--policy-pack-config`, or a
 * policy group's config): the CLI delivers it through the analyzer's Configure RPC, after the pack
 * has loaded, so HYBRID_POLICY_CONFIG cannot see it. A config that disables a mandatory policy is
 * refused there, with the same one-line message as the offline runner (policy/waivers.ts), and the
 * CLI stops before any resource is analysed: a disabled policy never runs, so nothing else could
 * report what it would have found.
 *
 * The hook is gRPC's public `Server.prototype.addService`: @pulumi/policy's server.js registers
 * its handlers there (`configure` among them, server.js ~line 110) and keeps the configuration in
 * a private variable, so wrapping the one handler is the only place to read it.
 */
import { Guardrail } from "./lib";
import { AnalyzerConfig, PolicyConfigError, refuseDisabledMandatory } from "./waivers";

/* eslint-disable @typescript-eslint/no-require-imports */
const { convertEnforcementLevel } = require("@pulumi/policy/protoutil") as { convertEnforcementLevel(level: number): string };
/* eslint-enable @typescript-eslint/no-require-imports */

type Callback = (err: unknown, resp?: unknown) => void;
type Handler = (call: { request: unknown }, callback: Callback) => unknown;

/** The Configure request's policy config, as server.js `configure` reads it (server.js ~line 186). */
export function configOfRequest(request: unknown): AnalyzerConfig {
    const map = (request as { getPolicyconfigMap(): { entries(): Iterable<[string, unknown]> } }).getPolicyconfigMap();
    const config: AnalyzerConfig = {};
    for (const [name, v] of map.entries()) {
        const setting = v as { getProperties(): { toJavaScript(): Record<string, unknown> } | undefined; getEnforcementlevel(): number };
        config[name] = { ...(setting.getProperties()?.toJavaScript() ?? {}), enforcementLevel: convertEnforcementLevel(setting.getEnforcementlevel()) };
    }
    return config;
}

/** gRPC's INVALID_ARGUMENT: the CLI prints the message as the reason it cannot configure the pack. */
const INVALID_ARGUMENT = 3;

/**
 * Wraps the `configure` handler every later `addService` registers on `server` (grpc-js's Server
 * class) so that a config disabling a mandatory policy fails the RPC. Call before `new PolicyPack`.
 */
export function guardConfigure(server: { prototype: { addService(service: unknown, impl: Record<string, unknown>): void } }, policies: Guardrail[]): void {
    const addService = server.prototype.addService;
    server.prototype.addService = function (this: unknown, service: unknown, impl: Record<string, unknown>) {
        const configure = impl?.configure as Handler | undefined;
        if (typeof configure !== "function") return addService.call(this, service, impl);
        const guarded: Handler = (call, callback) => {
            try {
                refuseDisabledMandatory(configOfRequest(call.request), policies, "--policy-pack-config");
            } catch (e) {
                // Anything else is server.js's to report, as it would without this hook.
                if (!(e instanceof PolicyConfigError)) return configure(call, callback);
                callback({ code: INVALID_ARGUMENT, details: e.message, message: e.message });
                return;
            }
            return configure(call, callback);
        };
        return addService.call(this, service, { ...impl, configure: guarded });
    };
}
