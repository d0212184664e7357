/** The mutation suite's rows on the dr stack's preview plan (see ../mutationSuite.ts). */
import { describeMutations } from "../mutationSuite";

describeMutations("dr", "preview");
