//! The native export of a scenario's whole run as a space-time diagram
//! (`cargo run --example scenario -- --svg out.svg FILE`): every file under
//! `scenarios/` run as the example runs it and drawn with the same function
//! (`diagram_svg::whole_run`), and the file checked as a viewer would take
//! it on its own: well-formed XML, fonts named, no external reference, a
//! lane per server and the client's, an arrow per message, every mark.

#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/xml.rs"]
mod xml;
use corpus::scenario_files;

use raft_playground::script::{parse, run, split_trace};
use raft_playground::sim::{Cluster, EventData};
use raft_playground::view::diagram::Filter;
use raft_playground::view::diagram_svg::whole_run;
use xml::well_formed;

/// Each scenario file's run, as the example runs it (its trace left out).
fn runs() -> Vec<(String, Cluster)> {
    scenario_files()
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&p).unwrap();
            let script = parse(split_trace(&text).0).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, run(&script).expect("a parsed script runs").cluster)
        })
        .collect()
}

/// The text of each `<text>` element of `svg` whose tag contains `with`.
fn texts<'a>(svg: &'a str, with: &str) -> Vec<&'a str> {
    svg.match_indices("<text ")
        .filter_map(|(i, _)| {
            let gt = i + svg[i..].find('>')?;
            let end = gt + svg[gt..].find("</text>")?;
            svg[i..gt].contains(with).then(|| &svg[gt + 1..end])
        })
        .collect()
}

#[test]
fn every_scenarios_whole_run_exports_as_an_svg_file_that_stands_on_its_own() {
    let runs = runs();
    assert!(runs.len() >= 12, "the corpus has {} files", runs.len());
    for (name, c) in &runs {
        let title = format!("scenarios/{name}: the run's space-time diagram <&>");
        let svg = whole_run(c, &Filter::default(), &title);
        let names = well_formed(&svg).unwrap_or_else(|e| panic!("{name}: not well-formed XML: {e}"));
        assert_eq!(names[0], "svg", "{name}");
        assert!(
            svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" ")
        );
        assert!(
            svg.contains(&format!("<title>scenarios/{name}: the run&apos;s space-time diagram &lt;&amp;&gt;</title>"))
        );
        // On its own: fonts named (a generic family last), no reference out, no script.
        assert!(svg.contains(" font-family=\"system-ui") && svg.contains("sans-serif\""), "{name}: fonts named");
        for out in ["href", "url(", "<script", "<image", "<foreignObject", "@import", "<style"] {
            assert!(!svg.contains(out), "{name}: {out}");
        }
        assert_eq!(svg.matches("http").count(), 1, "{name}: only the SVG namespace");
        // A lane per server, then the client's, named in bold.
        let lanes = texts(&svg, "font-weight=\"700\"");
        let mut want: Vec<String> = (1..=c.servers().len()).map(|i| format!("S{i}")).collect();
        want.push("client".into());
        assert_eq!(lanes, want, "{name}: the lanes");
        // An arrow per message sent (the whole run), each a line.
        let wires = c.wires();
        assert!(!wires.is_empty(), "{name}");
        assert_eq!(svg.matches("<g data-id=\"").count(), wires.len(), "{name}: an arrow per message");
        for a in &wires {
            let from = svg.find(&format!("<g data-id=\"{}\">", a.id)).unwrap_or_else(|| panic!("{name}: #{}", a.id));
            assert!(svg[from..from + svg[from..].find("</g>").unwrap()].contains("<line "), "{name}: #{}", a.id);
        }
        // Every election won is a crown, every violation a "⚠" naming its property.
        let (mut crowns, mut broken) = (0, Vec::new());
        for e in c.events() {
            match &e.what {
                EventData::LeaderElected { .. } => crowns += 1,
                EventData::Violation { property, .. } => broken.push(format!("⚠ {}", property.name())),
                _ => {}
            }
        }
        let marks = texts(&svg, "paint-order=\"stroke\"");
        assert_eq!(marks.iter().filter(|t| t.starts_with("♛ leader t")).count(), crowns, "{name}: crowns");
        let warned: Vec<String> = marks.iter().filter(|t| t.starts_with('⚠')).map(|t| t.to_string()).collect();
        assert_eq!(warned, broken, "{name}: violations");
        // The whole run: "now" (its end) is drawn, at the bottom.
        assert!(svg.contains(&format!(">now {} ms</text>", c.now())), "{name}: now");
    }
    // The corpus has both kinds of run: with violations and without.
    let unsafe_run = runs.iter().find(|(n, _)| n == "figure-8-unsafe.txt").expect("figure-8-unsafe.txt");
    assert!(whole_run(&unsafe_run.1, &Filter::default(), "x").contains("⚠ Leader Completeness"));
}

/// The file's frame, for a slide: a size that holds every lane and the whole
/// run (at most about 6000 px high), its viewBox, an opaque background, a line per lane.
#[test]
fn the_exported_file_has_a_size_a_background_and_a_line_per_lane() {
    let (name, c) = runs().into_iter().find(|(n, _)| n == "leader-failure.txt").expect("leader-failure.txt");
    let file = format!("scenarios/{name}");
    let svg = whole_run(&c, &Filter::default(), &format!("{file}: the run's space-time diagram"));
    let root = &svg[svg.find("<svg ").unwrap()..];
    let root = &root[..root.find('>').unwrap()];
    let number = |attr: &str| -> f64 { root_attr(root, attr).parse().unwrap() };
    let (w, h) = (number("width"), number("height"));
    assert!(w >= 60.0 + 120.0 * (c.servers().len() + 1) as f64, "{w} px wide: room for every lane");
    assert!(h > 100.0 && h <= 6_000.0 + 60.0, "{h} px high: the whole run, at most about 6000 px");
    assert!(root.contains(&format!("viewBox=\"0 0 {} {}\"", root_attr(root, "width"), root_attr(root, "height"))));
    assert!(svg.contains("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"), "an opaque background");
    let lane_lines = svg.matches("stroke=\"#9ca3af\" stroke-width=\"1\"/>").count();
    assert_eq!(lane_lines, c.servers().len() + 1, "a line per lane");
}

/// Attribute `attr` of the tag `root`, as written.
fn root_attr<'a>(root: &'a str, attr: &str) -> &'a str {
    let from = root.find(&format!(" {attr}=\"")).unwrap() + attr.len() + 3;
    &root[from..from + root[from..].find('"').unwrap()]
}
