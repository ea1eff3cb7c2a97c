//! The State panel: each server's term, vote, commit index, last applied
//! index and key-value state.

use crate::ui::markup;
use crate::ui::store::Handle;
use crate::ui::texts::{text, use_texts};
use crate::ui::Esc;
use crate::view::theme::{state_word, term_var, who};
use std::fmt::Write;
use yew::functional::HookContext;
use yew::Html;

/// Every server's internals and key-value state, as markup (nothing in it
/// takes clicks or focus; it is written again only when it changes).
pub fn state_panel(ctx: &mut HookContext, h: &Handle) -> Html {
    // The note under the table: fetched with the panels' texts.
    let texts = use_texts(ctx);
    let Some(m) = h.try_read() else { return Html::default() };
    let c = m.cluster();
    let mut t = String::from(concat!(
        r#"<div class="panel-body"><table class="state-table"><thead><tr>"#,
        r#"<th scope="col">server</th><th scope="col">role</th><th scope="col" title="current term">term</th>"#,
        r#"<th scope="col" title="whom it voted for in its current term">voted</th>"#,
        r#"<th scope="col" title="commit index">commit</th><th scope="col" title="last applied index">applied</th>"#,
        r#"<th scope="col" title="its key-value state: what it has applied">key-value state</th>"#,
        r#"</tr></thead><tbody>"#
    ));
    for s in c.servers() {
        let kv = s.raft().kv();
        let _ = write!(
            t,
            r#"<tr data-kv="{}"{}><th scope="row">{}</th><td>{}{}</td><td><span class="term-chip" style="{}">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td class="kv">"#,
            s.id().0,
            if s.is_up() { "" } else { r#" class="down""# },
            s.id(),
            state_word(s.role(), s.is_up()),
            if s.is_disconnected() { " ✂" } else { "" },
            term_var(s.term()),
            s.term(),
            who(s.voted_for()),
            s.commit_index(),
            s.raft().last_applied()
        );
        if kv.is_empty() {
            t.push_str(r#"<span class="muted">empty</span>"#);
        }
        for (k, v) in kv.iter() {
            let _ = write!(t, r#"<span class="kv-chip" data-key="{}">{}={v}</span>"#, Esc(k), Esc(k));
        }
        t.push_str("</td></tr>");
    }
    t.push_str("</tbody></table>");
    t.push_str(text(&texts, "state", "note"));
    t.push_str("</div>");
    markup(t)
}
