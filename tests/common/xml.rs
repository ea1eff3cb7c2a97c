//! A minimal XML well-formedness check, for the SVG files the project
//! writes (tests/diagram.rs and tests/diagram_export.rs include it with
//! `#[path]`; tests/diagram.rs tests it in `the_checker_refuses_what_is_not_xml`).
#![allow(dead_code)]

/// A minimal XML well-formedness check: tags nest and close, attributes are
/// quoted, entities are the five XML ones. Returns the element names.
pub fn well_formed(xml: &str) -> Result<Vec<String>, String> {
    let mut stack: Vec<String> = Vec::new();
    let mut names = Vec::new();
    let mut rest = xml.trim_start();
    if let Some(r) = rest.strip_prefix("<?xml") {
        rest = &r[r.find("?>").ok_or("unclosed declaration")? + 2..];
    }
    while let Some(lt) = rest.find('<') {
        check_text(&rest[..lt])?;
        let gt = rest[lt..].find('>').ok_or("unclosed tag")? + lt;
        let tag = &rest[lt + 1..gt];
        if let Some(name) = tag.strip_prefix('/') {
            if stack.pop().as_deref() != Some(name.trim()) {
                return Err(format!("</{name}> closes nothing open"));
            }
        } else {
            let empty = tag.ends_with('/');
            let body = tag.trim_end_matches('/');
            let name = body.split_whitespace().next().ok_or("empty tag")?.to_string();
            let mut attrs = body[name.len()..].trim();
            while !attrs.is_empty() {
                let eq = attrs.find("=\"").ok_or(format!("unquoted attribute in <{name}>"))?;
                let close = attrs[eq + 2..].find('"').ok_or("unclosed attribute")? + eq + 2;
                check_text(&attrs[eq + 2..close])?;
                attrs = attrs[close + 1..].trim_start();
            }
            names.push(name.clone());
            if !empty {
                stack.push(name);
            }
        }
        rest = &rest[gt + 1..];
    }
    check_text(rest)?;
    if stack.is_empty() {
        Ok(names)
    } else {
        Err(format!("unclosed: {stack:?}"))
    }
}

pub fn check_text(t: &str) -> Result<(), String> {
    let mut rest = t;
    while let Some(i) = rest.find('&') {
        let end = rest[i..].find(';').ok_or("bare &")? + i;
        if !["amp", "lt", "gt", "quot", "apos"].contains(&&rest[i + 1..end]) {
            return Err(format!("unknown entity {}", &rest[i..=end]));
        }
        rest = &rest[end + 1..];
    }
    if t.contains('<') {
        return Err("stray <".into());
    }
    Ok(())
}
