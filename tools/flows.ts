/**
 * The flow matrix of a plan (issue #12): each declared flow of model/flows.ts through every network layer, as the
 * policy `declared-flows-hold` sees it. Runs the analysis inside the offline analyzer (the same resources, with
 * unknowns, that the pack gets), so the matrix and the policy never disagree.
 */
import Table from "cli-table3";
import { PlannedResource } from "./offline";
import { analyzeResources } from "./policyRunner";
import { Graph, stackGuardrail } from "../policy/lib";
import { FlowReport, flowMatrix } from "../policy/reachability";

/** The matrix of these resources (a plan's, in either mode). */
export async function flowsOf(resources: PlannedResource[]): Promise<FlowReport[]> {
    let rows: FlowReport[] = [];
    const capture = stackGuardrail({
        name: "flow-matrix-capture",
        description: "Captures the flow matrix (never reports).",
        remediation: "-",
        concern: "network-exposure",
        seed: "-",
        why: "-",
        types: [],
        check: ({ graph }) => {
            rows = flowMatrix(graph as Graph);
        },
    });
    await analyzeResources(resources, { policies: [capture] });
    return rows;
}

/** The matrix as a table: one row per flow, the deciding rule of the layer that decided. */
export function flowTable(rows: readonly FlowReport[]): string {
    const table = new Table({
        head: ["flow", "from -> to", "port", "intended", "admitted", "deciding layer: rule"],
        colWidths: [44, 42, 10, 10, 10, 90],
        wordWrap: true,
        style: { compact: true, head: [], border: [] },
    });
    for (const r of rows) {
        const decisive = r.layers.find((l) => l.verdict !== "allow") ?? r.layers[r.layers.length - 1];
        const mark = r.ok ? "" : " !";
        table.push([
            r.name + mark,
            `${r.from} -> ${r.to}`,
            `${r.protocol}/${r.port}`,
            r.intended ? "yes" : "no",
            String(r.admitted),
            decisive ? `${decisive.layer}: ${decisive.rule}` : "-",
        ]);
    }
    const failing = rows.filter((r) => !r.ok).length;
    return `flows: ${rows.length} declared, ${failing} not as declared\n${table.toString()}`;
}
