/** The mutation suite's rows on the prod stack's preview plan (see ../mutationSuite.ts). */
import { describeMutations } from "../mutationSuite";

describeMutations("prod", "preview");
