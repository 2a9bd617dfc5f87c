//! Waivers: a waived finding is still listed but does not fail the check;
//! a waiver that matches nothing is `waiver-unused`.

use super::Ctx;
use crate::diag::rules;
use crate::diag::Diagnostic;

pub(super) fn apply(ctx: &Ctx, mut found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let rec = ctx.rec;
    for w in &rec.waivers {
        let mut used = false;
        for d in found.iter_mut().filter(|d| d.rule.id == w.rule) {
            d.waived = true;
            used = true;
        }
        let waivable = crate::diag::rules::by_id(&w.rule).is_some_and(|r| r.waivable());
        if !used && waivable {
            found.push(ctx.finding(
                &rules::WAIVER_UNUSED,
                w.pos,
                format!(
                    "the waiver for `{}` matches no finding of this record",
                    w.rule
                ),
                "remove the waiver, or check the rule id".to_owned(),
            ));
        }
    }
    found
}
