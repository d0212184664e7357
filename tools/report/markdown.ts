/**
 * `npm run plan -- --report <file.md>` (issue #15 item 7): the review as GitHub-flavoured Markdown,
 * the pull-request comment the infrastructure workflow posts (item 8). The diff comes first when
 * present (it is what the PR changes); the whole report stays under GitHub's comment limit by
 * shortening its longest lists, each cut list saying how many it left out.
 * @see https://docs.github.com/en/get-started/writing-on-github/working-with-advanced-formatting/organizing-information-with-tables
 * @see https://docs.github.com/en/get-started/writing-on-github/working-with-advanced-formatting/creating-diagrams
 */
import type { Plan } from "../offline";
import {
    type Caps,
    availabilitySection,
    capacitySection,
    costSection,
    criticalPathSection,
    diffSection,
    drSection,
    md,
    violationsSection,
} from "./markdownSections";
import type { PlanReview } from "./types";
import { verdictLine, verdictOf } from "./verdict";

export type ReportInput = Plan & PlanReview & { diagram: string };

export { md };

/** GitHub's limit on an issue or pull-request comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** A fence longer than any run of backticks in `text`, so nothing in the diagram can close it. */
function fence(text: string): string {
    const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
    return "`".repeat(longest + 1);
}

function render(plan: ReportInput, caps: Caps, withDiagram: boolean): string {
    const { status, reasons } = verdictOf(plan);
    const parts: string[][] = [
        [
            `# Plan review: ${md(plan.stack)} — ${status}`,
            "",
            `> **${md(verdictLine(plan, Number.MAX_SAFE_INTEGER))}**`,
            ...(reasons.length > 0 ? ["", ...reasons.map((r) => `- ${md(r)}`)] : []),
        ],
    ];
    if (plan.diff) parts.push(diffSection(plan.diff, caps));
    parts.push(costSection(plan.cost, caps));
    if (plan.capacity) parts.push(capacitySection(plan.capacity, caps));
    parts.push(availabilitySection(plan.availability, caps));
    if (plan.dr) parts.push(drSection(plan.dr));
    parts.push(criticalPathSection(plan.criticalPath, caps));
    if (withDiagram) parts.push(["## Diagram", "", `${fence(plan.diagram)}mermaid`, plan.diagram.trimEnd(), fence(plan.diagram)]);
    else
        parts.push([
            "## Diagram",
            "",
            `Left out: ${plan.diagram.length.toLocaleString("en-US")} characters would pass GitHub's comment limit (the --html page has it).`,
        ]);
    parts.push(violationsSection(plan, caps));
    return parts.map((p) => p.join("\n")).join("\n\n") + "\n";
}

/**
 * The report, at most `limit` characters: lists are halved until it fits, then the diagram is left
 * out (said so), then, as a last resort, the text is cut with a closing line saying so.
 */
export function markdownReport(plan: ReportInput, limit = GITHUB_COMMENT_LIMIT): string {
    const caps: Caps = { costLines: 200, rows: 100 };
    let text = render(plan, caps, true);
    while (text.length > limit && (caps.costLines > 5 || caps.rows > 5)) {
        caps.costLines = Math.max(5, Math.floor(caps.costLines / 2));
        caps.rows = Math.max(5, Math.floor(caps.rows / 2));
        text = render(plan, caps, true);
    }
    if (text.length > limit) text = render(plan, caps, false);
    if (text.length <= limit) return text;
    const note = "\n\n… cut here to stay under GitHub's comment limit: the whole review is in the plan JSON.\n";
    return text.slice(0, limit - note.length) + note;
}
