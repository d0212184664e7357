/**
 * Defers modules that @pulumi/pulumi requires at load time for what the offline CLIs never do:
 * closure serialization (`pulumi.runtime.serializeFunction`, function-based Lambdas) loads the
 * TypeScript compiler (typescript-shim) and @npmcli/arborist (codePaths), and the SDK's index
 * loads the Automation API. Together ~0.5 s of CPU, a fifth of `npm run plan`. Each is replaced
 * in the require cache by a stand-in that loads the real module at its first use.
 *
 * Import this module before anything that loads @pulumi/pulumi (a side-effect import at the top).
 */
import Module from "node:module";
import * as path from "node:path";

/** Node's require cache entries, as far as we touch them. */
const cache = require.cache as Record<string, { exports: unknown; loaded?: boolean; id?: string; filename?: string } | undefined>;

/** Installs a stand-in for the module `request` resolves to from `fromDir`; returns false if it is absent or loaded already. */
export function deferModule(request: string, fromDir: string): boolean {
    let file: string;
    try {
        file = require.resolve(request, { paths: [fromDir] });
    } catch {
        return false;
    }
    if (cache[file]) return false;
    let real: Record<string | symbol, unknown> | undefined;
    const load = (): Record<string | symbol, unknown> => {
        if (!real) {
            delete cache[file];
            // A module path known only at run time: a dynamic require is the point of this file.
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            real = require(file) as Record<string | symbol, unknown>;
        }
        return real;
    };
    const standIn = new Proxy({} as Record<string | symbol, unknown>, {
        get: (_target, prop) => {
            // `__importStar` (TypeScript's CommonJS interop) passes an ES module through untouched instead of
            // copying every export, and then reads `default`: the module itself for a CommonJS module.
            if (prop === "__esModule") return true;
            const mod = load();
            if (prop === "default" && !mod.__esModule) return mod;
            return mod[prop];
        },
        has: (_target, prop) => prop in load(),
        set: (_target, prop, value) => Reflect.set(load(), prop, value),
    });
    const entry = new Module(file);
    entry.filename = file;
    entry.loaded = true;
    entry.exports = standIn;
    cache[file] = entry;
    return true;
}

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
deferModule("typescript", pulumiDir);
deferModule("@npmcli/arborist", path.join(pulumiDir, "runtime", "closure"));
deferModule("./automation", pulumiDir);
