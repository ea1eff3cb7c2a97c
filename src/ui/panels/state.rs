//! The State panel: each server's term, vote, commit index, last applied
//! index and key-value state.

use crate::ui::store::Handle;
use crate::ui::with_class;
use crate::view::theme::{state_word, term_var, who};
use yew::prelude::*;

/// Every server's internals and key-value state.
pub fn state_panel(h: &Handle) -> Html {
    let Some(m) = h.try_read() else { return html! {} };
    let c = m.cluster();
    html! {
        <div class="panel-body">
            <table class="state-table">
                <thead><tr>
                    <th scope="col">{ "server" }</th><th scope="col">{ "role" }</th><th scope="col" title="current term">{ "term" }</th>
                    <th scope="col" title="whom it voted for in its current term">{ "voted" }</th>
                    <th scope="col" title="commit index">{ "commit" }</th><th scope="col" title="last applied index">{ "applied" }</th>
                    <th scope="col" title="its key-value state: what it has applied">{ "key-value state" }</th>
                </tr></thead>
                <tbody>
                { for c.servers().iter().map(|s| {
                    let role = state_word(s.role(), s.is_up());
                    let kv = s.raft().kv();
                    let row = html! {
                        <tr data-kv={s.id().0.to_string()}>
                            <th scope="row">{ s.id().to_string() }</th>
                            <td>{ role }{ if s.is_disconnected() { " ✂" } else { "" } }</td>
                            <td><span class="term-chip" style={term_var(s.term())}>{ s.term() }</span></td>
                            <td>{ who(s.voted_for()) }</td>
                            <td>{ s.commit_index() }</td>
                            <td>{ s.raft().last_applied() }</td>
                            <td class="kv">
                                if kv.is_empty() { <span class="muted">{ "empty" }</span> }
                                { for kv.iter().map(|(k, v)| html! { <span class="kv-chip" data-key={k.clone()}>{ format!("{k}={v}") }</span> }) }
                            </td>
                        </tr>
                    };
                    with_class(row, AttrValue::Static(if s.is_up() { "" } else { "down" }))
                }) }
                </tbody>
            </table>
            <p class="muted small">{ "A crashed server keeps its term, vote and log (on disk) but forgets its commit index and key-value state until it relearns them." }</p>
        </div>
    }
}
