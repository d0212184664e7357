// ESLint flat config: rules that catch bugs, not taste. Formatting is Prettier's job (npm run format).
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig([
    { ignores: ["node_modules/", "bin/", "**/*.js", "**/*.mjs"] },
    js.configs.recommended,
    tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        languageOptions: {
            // The type-aware rules below read types through the TypeScript project service (the nearest tsconfig.json).
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        plugins: { "@pulumi": pulumi },
        rules: {
            // An Output in a plain template literal renders as a warning text instead of its value: use pulumi.interpolate.
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            // A promise nobody awaits loses its error (and an offline run can end before the resource registers).
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/await-thenable": "error",
            // Tests and the mocks read loosely typed JSON on purpose; tsc's noUnusedLocals/noUnusedParameters cover unused names.
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unused-vars": "off",
        },
    },
]);
