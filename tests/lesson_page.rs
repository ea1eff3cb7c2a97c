//! The page's side of the lessons, natively: the recorded lessons and the
//! index the page reads (`lessons/recorded/`) are what the engine writes
//! today, read back to the same thing, and never panic on bad input; and the
//! view-model's lesson mode (`view::lesson`) replays every recorded lesson to
//! the recorded trace hash at every step's end, asks, checks answers, reveals,
//! goes back, branches, keeps progress and reads `?lesson=&step=`.
//!
//! `REWRITE=1 cargo test --test lesson_page` writes `lessons/recorded/` again
//! (after a lesson or the engine changed).
// Native only: the lesson texts are compiled into native builds alone (the page fetches recordings).
#![cfg(not(target_arch = "wasm32"))]

use raft_playground::lesson::{
    self, catalog, index, index_text, lessons, read_index, record, Answer, Highlight, Lesson, Phase, QuestionKind,
    RecordedLesson, Status,
};
use raft_playground::raft::NodeId;
use raft_playground::sim::{Action, Command, MessageKind};
use raft_playground::view::lesson::{lesson_address, number_answer, op_named, LessonOp, Progress, PROGRESS_KEY};
use raft_playground::view::logs::{first_column, log_grid, log_grid_in, MAX_COLUMNS, MIN_COLUMNS};
use raft_playground::view::model::{page_config, Guidance, Model, Op, Tab, DEFAULT_SPEED};
use raft_playground::view::ring::ring_draw;
use std::path::{Path, PathBuf};

const DIR: &str = "lessons/recorded";

fn all() -> Vec<Lesson> {
    catalog().iter().map(|t| lesson::parse(t).expect("a built-in lesson")).collect()
}

fn ready() -> Vec<Lesson> {
    all().into_iter().filter(|l| l.is_ready()).collect()
}

fn file(id: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR).join(format!("{id}.txt"))
}

/// Each ready lesson's recording, as written today.
fn recordings() -> Vec<(String, String)> {
    ready()
        .iter()
        .map(|l| {
            let r = record(l).unwrap_or_else(|e| panic!("recording {}: {e}", l.id));
            (l.id.clone(), r.to_text().unwrap_or_else(|e| panic!("writing {}: {e}", l.id)))
        })
        .collect()
}

fn recorded(id: &str) -> RecordedLesson {
    let text = std::fs::read_to_string(file(id)).unwrap_or_else(|e| panic!("{id}: {e}"));
    RecordedLesson::from_text(&text).unwrap_or_else(|e| panic!("{id}: {e}"))
}

// ----- the files ---------------------------------------------------------------------

#[test]
fn the_recorded_lessons_and_the_index_are_what_the_engine_writes_today() {
    let rewrite = std::env::var_os("REWRITE").is_some();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR);
    let mut expected: Vec<(PathBuf, String)> = recordings().into_iter().map(|(id, text)| (file(&id), text)).collect();
    expected.push((dir.join("index.txt"), index_text(&lessons())));
    let mut stale = Vec::new();
    for (path, text) in &expected {
        if std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
            if rewrite {
                std::fs::write(path, text).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    // No file for a lesson that is gone or no longer ready.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !expected.iter().any(|(p, _)| *p == path) {
            if rewrite {
                std::fs::remove_file(&path).unwrap();
            } else {
                stale.push(format!("{} (no such ready lesson)", path.display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "out of date: {stale:?}; run REWRITE=1 cargo test --test lesson_page to write them again"
    );
}

#[test]
fn the_index_compiled_into_the_page_is_the_lesson_list() {
    assert_eq!(index(), Ok(lessons()));
    assert_eq!(read_index(&index_text(&lessons())), Ok(lessons()));
    assert!(lessons().iter().all(|l| l.status != Status::Ready || file(&l.id).exists()));
}

#[test]
fn a_recorded_lesson_reads_back_to_what_was_recorded() {
    for l in ready() {
        let r = record(&l).unwrap();
        assert_eq!(RecordedLesson::from_text(&r.to_text().unwrap()).as_ref(), Ok(&r), "{}", l.id);
        assert_eq!(r.steps.len(), l.steps.len());
        // Every available offer has its branch, up to its step.
        let offers = l.steps.iter().flat_map(|s| &s.offers).filter(|o| o.config.is_some()).count();
        assert_eq!(r.branches.len(), offers, "{}", l.id);
        for (k, s) in r.steps.iter().enumerate() {
            assert!(!s.segment.waits.is_empty(), "{} step {}: a step ends on a wait", l.id, k + 1);
            assert_eq!(s.question.is_some(), l.steps[k].question.is_some());
        }
    }
}

/// Mutations of a recorded lesson: lines dropped, swapped, duplicated, fields cut and numbers changed.
fn mutants(text: &str, n: usize) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |k: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % k.max(1) as u64) as usize
    };
    (0..n)
        .map(|_| {
            let mut l: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
            let i = next(l.len());
            match next(6) {
                0 => drop(l.remove(i)),
                1 => {
                    let j = next(l.len());
                    l.swap(i, j);
                }
                2 => l.insert(i, l[i].clone()),
                3 => {
                    let cut = next(l[i].len() + 1);
                    l[i] = l[i].chars().take(cut).collect();
                }
                4 => l[i] = l[i].replace(|c: char| c.is_ascii_digit(), &next(20).to_string()),
                _ => l[i] = l[i].replace('\t', " "),
            }
            l.join("\n")
        })
        .collect()
}

#[test]
fn reading_never_panics_and_bad_files_are_refused_with_the_line() {
    assert!(RecordedLesson::from_text("").unwrap_err().contains("not a recorded lesson"));
    assert!(read_index("lesson\tx").unwrap_err().contains("not a lesson index"));
    let text = std::fs::read_to_string(file("failover")).unwrap();
    let bad = text.replacen("\nanswer\t", "\nanswer\tmaybe ", 1);
    assert!(RecordedLesson::from_text(&bad).unwrap_err().starts_with("line "), "{bad}");
    for m in mutants(&text, 3000) {
        match RecordedLesson::from_text(&m) {
            // What reads must be playable: the page relies on it.
            Ok(r) => {
                let mut model = Model::from_config(page_config(5, 1), DEFAULT_SPEED, false).unwrap();
                let loaded = LessonOp::Loaded { id: r.id.clone(), text: Ok(m.clone()) };
                model.apply(Op::Lesson(loaded)).unwrap();
                model.apply(Op::Lesson(LessonOp::Open { id: r.id.clone(), step: 0 })).unwrap();
                for _ in 0..r.steps.len() {
                    let _ = model.apply(Op::Lesson(LessonOp::Next));
                }
            }
            Err(e) => assert!(e.starts_with("line ") || e.contains("step") || e.contains("lesson"), "{e}"),
        }
    }
    let index = index_text(&lessons());
    for m in mutants(&index, 1000) {
        let _ = read_index(&m);
    }
}

// ----- the view-model's lesson mode ------------------------------------------------------

/// A paused page on a 5-server run (seed 1).
fn page() -> Model {
    Model::from_config(page_config(5, 1), DEFAULT_SPEED, false).unwrap()
}

/// Opens lesson `id` at `step` (from 0) as the page does: Open asks for the recording, which then arrives.
fn open(m: &mut Model, id: &str, step: usize) {
    m.apply(Op::Lesson(LessonOp::Open { id: id.into(), step })).unwrap();
    assert_eq!(m.lessons.loading(), Some(id));
    assert_eq!(m.lessons.take_fetch().as_deref(), Some(id), "the page is asked to fetch it");
    let text = std::fs::read_to_string(file(id)).unwrap();
    m.apply(Op::Lesson(LessonOp::Loaded { id: id.into(), text: Ok(text) })).unwrap();
    assert_eq!(m.lessons.loading(), None);
}

fn card(m: &Model) -> raft_playground::view::lesson::Card {
    m.lessons.card(m.cluster().now()).expect("a lesson plays")
}

/// Advances 16 ms at a time (as frames do) until the step ends, skipping its question.
fn to_end(m: &mut Model) {
    for _ in 0..100_000 {
        match card(m).phase {
            Phase::Ended => return,
            Phase::Asking => m.apply(Op::Lesson(LessonOp::SkipQuestion)).unwrap(),
            Phase::Running => m.apply(Op::Advance(16)).unwrap(),
        }
    }
    panic!("the step never ended");
}

/// The lesson's own run (the engine's lesson runner) at each step's start
/// (once its first instant ran, as the page runs it at once) and end: (start hash, end hash).
fn engine_run(id: &str) -> Vec<(u64, u64)> {
    let l = lesson::load(id).unwrap();
    let mut run = lesson::LessonRun::new(&l).unwrap();
    let mut out = Vec::new();
    loop {
        run.advance(0);
        let start = run.cluster().trace_hash();
        while run.finish_step() == Phase::Asking {
            run.skip_question().unwrap();
        }
        out.push((start, run.cluster().trace_hash()));
        if run.next_step().is_err() {
            return out;
        }
    }
}

#[test]
fn every_recorded_lesson_replays_on_the_page_to_the_engines_run_step_by_step() {
    for l in ready() {
        let engine = engine_run(&l.id);
        let mut m = page();
        open(&mut m, &l.id, 0);
        assert_eq!(m.tab, Tab::Lessons);
        assert_eq!(m.start, l.config, "{}: the run is the lesson's", l.id);
        for (k, (start, end)) in engine.iter().enumerate() {
            assert_eq!(card(&m).step, k);
            assert_eq!(m.cluster().trace_hash(), *start, "{} step {}: its start", l.id, k + 1);
            to_end(&mut m);
            let c = card(&m);
            assert_eq!(c.mismatch, None, "{} step {}", l.id, k + 1);
            assert_eq!(m.cluster().trace_hash(), *end, "{} step {}: its end", l.id, k + 1);
            assert_eq!(c.finished, k + 1 == engine.len());
            assert_eq!(c.has_next, k + 1 < engine.len());
            if c.has_next {
                m.apply(Op::Lesson(LessonOp::Next)).unwrap();
            }
        }
        assert!(m.cluster().violations().is_empty(), "{}", l.id);
        assert_eq!(m.lessons.progress().done(&l.id), l.steps.len(), "{}: every step done", l.id);
        assert_eq!(m.apply(Op::Lesson(LessonOp::Next)), Err("that was the lesson's last step".into()));
    }
}

#[test]
fn each_branch_replays_on_the_page_to_the_engines_branch_and_goes_back_to_the_lesson() {
    let mut checked = 0;
    for l in ready() {
        let r = recorded(&l.id);
        for b in &r.branches {
            let mut m = page();
            open(&mut m, &l.id, b.step);
            let before = (m.cluster().trace_hash(), m.cluster().now());
            m.apply(Op::Lesson(LessonOp::Branch(b.offer))).unwrap();
            let c = card(&m);
            let offer = &l.steps[b.step].offers[b.offer];
            assert_eq!(c.branch, Some((offer.label.clone(), offer.outcome.clone())));
            assert_eq!((c.step, c.question.clone(), c.offers.len()), (b.step, None, 0), "a branch asks nothing");
            // Its card tells the branch: the offer's outcome, the lesson's caption only marked as the lesson's,
            // and it does not claim the lesson's conditions, which the branch's run need not meet.
            assert_eq!((&c.caption, c.lesson_caption.as_ref()), (&offer.outcome, Some(&l.steps[b.step].caption)));
            assert_eq!(c.phase, Phase::Running, "{}", l.id);
            let waiting = c.waiting.clone().unwrap();
            for (_, words) in &r.steps[b.step].segment.waits {
                assert!(!waiting.contains(words.as_str()), "{}: {waiting} claims the lesson's {words}", l.id);
            }
            assert!(waiting.contains("replay"), "{waiting}");
            assert_eq!(Some(&m.start), offer.config.as_ref(), "{}: the run has the offer's change", l.id);
            to_end(&mut m);
            let mut engine = lesson::LessonRun::branch(&l, b.step, b.offer).unwrap();
            while engine.finish_step() == Phase::Asking {
                engine.skip_question().unwrap();
            }
            assert_eq!(m.cluster().trace_hash(), engine.cluster().trace_hash(), "{}: {}", l.id, offer.label);
            assert_eq!(card(&m).mismatch, None);
            assert!(!card(&m).has_next, "a branch shows its step only");
            assert!(m.apply(Op::Lesson(LessonOp::Next)).unwrap_err().contains("go back to the lesson"));
            assert_eq!(m.lessons.address(), None, "a branch is not a link");
            // Back: the lesson where it was.
            m.apply(Op::Lesson(LessonOp::Back)).unwrap();
            assert_eq!((m.cluster().trace_hash(), m.cluster().now()), before);
            assert_eq!((card(&m).branch, card(&m).lesson_caption), (None, None));
            assert_eq!(card(&m).caption, l.steps[b.step].caption);
            assert_eq!(m.start, l.config);
            checked += 1;
        }
        // Offers that wait for the engine cannot be taken.
        for (k, s) in l.steps.iter().enumerate() {
            for (o, offer) in s.offers.iter().enumerate().filter(|(_, o)| o.config.is_none()) {
                let mut m = page();
                open(&mut m, &l.id, k);
                let e = m.apply(Op::Lesson(LessonOp::Branch(o))).unwrap_err();
                assert!(e.contains(offer.requires.as_deref().unwrap()), "{e}");
                assert_eq!(card(&m).offers[o].requires, offer.requires);
            }
        }
    }
    assert!(checked >= 5, "{checked} branches");
}

/// The first ready lesson with a step that asks a question of `kind`: (id, step).
fn asking(kind: fn(&QuestionKind) -> bool) -> (String, usize) {
    for l in ready() {
        if let Some(k) = l.steps.iter().position(|s| s.question.as_ref().is_some_and(|q| kind(&q.kind))) {
            return (l.id.clone(), k);
        }
    }
    panic!("no lesson asks such a question");
}

/// Runs to the question of the step.
fn to_question(m: &mut Model) {
    while card(m).phase == Phase::Running {
        m.apply(Op::Advance(16)).unwrap();
    }
    assert_eq!(card(m).phase, Phase::Asking);
}

#[test]
fn a_servers_question_is_answered_by_clicking_servers_and_checked_when_its_answer_is_due() {
    let (id, k) = asking(|k| *k == QuestionKind::Servers);
    let q = recorded(&id).steps[k].question.clone().unwrap();
    let Answer::Servers(truth) = q.truth.clone() else { panic!() };
    for right in [true, false] {
        let mut m = page();
        open(&mut m, &id, k);
        to_question(&mut m);
        let c = card(&m);
        assert_eq!(c.question.as_ref().map(|q| (q.text.as_str(), q.open)), Some((q.text.as_str(), true)));
        assert!(c.waiting.is_none() && c.reveal.is_none());
        assert!(m.lessons.guidance(m.cluster().now()).unwrap().contains("click the servers on the ring"));
        // Clicks on the ring pick servers instead of opening their menus; a second click takes one out.
        let picks: Vec<NodeId> =
            if right { truth.clone() } else { vec![NodeId(1), NodeId(2), NodeId(3), NodeId(4), NodeId(5)] };
        // Each click changes what the panel draws from (it draws again).
        let key = m.lessons.key(m.cluster().now());
        m.apply(Op::Select(Some(NodeId(1)))).unwrap();
        assert_ne!(m.lessons.key(m.cluster().now()), key);
        m.apply(Op::Select(Some(NodeId(1)))).unwrap();
        for &n in picks.iter().rev() {
            m.apply(Op::Select(Some(n))).unwrap();
        }
        assert_eq!(m.selected, None, "no menu opens");
        assert_eq!(m.lessons.picked(), picks.as_slice(), "in order of their ids");
        let draw = ring_draw(&m);
        assert!(draw.servers.iter().all(|s| s.picked == picks.contains(&s.id)));
        m.apply(Op::Lesson(LessonOp::Check)).unwrap();
        let asked_at = m.cluster().now();
        // The verdict waits until the run reaches the moment the answer is read.
        let mut seen_before = false;
        loop {
            let c = card(&m);
            match c.reveal {
                None => {
                    seen_before = true;
                    assert!(m.cluster().now() < q.truth_time && c.phase != Phase::Ended);
                    m.apply(Op::Advance(4)).unwrap();
                }
                Some(r) => {
                    assert!(m.cluster().now() >= q.truth_time || c.phase == Phase::Ended);
                    assert_eq!(r.correct, right);
                    assert_eq!(r.truth, q.truth);
                    assert_eq!(r.given, Some(Answer::Servers(picks.clone())));
                    assert_eq!(r.explain, q.explain);
                    break;
                }
            }
        }
        assert_eq!(seen_before, q.truth_time > asked_at, "hidden until the answer is read, and only then");
        // The explanation's highlights join the step's.
        let lit = m.lessons.highlights(m.cluster().now());
        assert!(q.highlights.iter().all(|h| lit.contains(h)));
        // A click now opens the server's menu again.
        m.apply(Op::Select(Some(NodeId(2)))).unwrap();
        assert_eq!(m.selected, Some(NodeId(2)));
    }
}

#[test]
fn yes_no_number_and_choice_questions_take_their_own_answers() {
    for (kind, name) in [
        (QuestionKind::YesNo, "yes-no"),
        (QuestionKind::Number, "number"),
        (QuestionKind::Choice { options: Vec::new() }, "choice"),
    ] {
        let same = |k: &QuestionKind| std::mem::discriminant(k) == std::mem::discriminant(&kind);
        let Some((id, k)) = ready().iter().find_map(|l| {
            let k = l.steps.iter().position(|s| s.question.as_ref().is_some_and(|q| same(&q.kind)))?;
            Some((l.id.clone(), k))
        }) else {
            println!("note: no lesson asks a {name} question");
            continue;
        };
        let q = recorded(&id).steps[k].question.clone().unwrap();
        let mut m = page();
        open(&mut m, &id, k);
        to_question(&mut m);
        assert!(m.lessons.guidance(m.cluster().now()).unwrap().contains("answer the question in the Lessons panel"));
        // An answer of another kind is refused; so is a click on a server (it opens the menu).
        let e = m.apply(Op::Lesson(LessonOp::Answer(Answer::Servers(vec![NodeId(1)])))).unwrap_err();
        assert!(e.contains("does not fit the question"), "{e}");
        assert!(m.apply(Op::Lesson(LessonOp::Check)).is_err());
        m.apply(Op::Select(Some(NodeId(1)))).unwrap();
        assert_eq!((m.selected, m.lessons.picked()), (Some(NodeId(1)), &[][..]));
        m.apply(Op::Escape).unwrap();
        m.apply(Op::Lesson(LessonOp::Answer(q.truth.clone()))).unwrap();
        to_end(&mut m);
        let r = card(&m).reveal.expect("revealed at the end at the latest");
        assert!(r.correct, "{id}: {name}");
        assert!(m.apply(Op::Lesson(LessonOp::Answer(q.truth.clone()))).unwrap_err().contains("no question waits"));
    }
    assert_eq!(number_answer(" 12 "), Ok(12));
    for bad in ["", "-1", "1.5", "x", "1e3", "9999999999"] {
        assert!(number_answer(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_skipped_question_reveals_its_answer_and_skip_ahead_runs_to_the_question_then_the_end() {
    let (id, k) = asking(|_| true);
    let mut m = page();
    open(&mut m, &id, k);
    if card(&m).phase == Phase::Running {
        m.apply(Op::Lesson(LessonOp::SkipAhead)).unwrap();
    }
    assert_eq!(card(&m).phase, Phase::Asking, "skip ahead stops at the question");
    assert!(m.apply(Op::Lesson(LessonOp::SkipAhead)).is_err(), "nothing runs while the question waits");
    m.apply(Op::Lesson(LessonOp::SkipQuestion)).unwrap();
    m.apply(Op::Lesson(LessonOp::SkipAhead)).unwrap();
    let c = card(&m);
    assert_eq!(c.phase, Phase::Ended);
    let r = c.reveal.unwrap();
    assert_eq!((r.given, r.correct), (None, false));
    assert_eq!(c.question.unwrap().given, Some(None));
}

#[test]
fn previous_and_replay_go_back_to_a_step_start_exactly_and_next_jumps_ahead() {
    let id = "figure-8";
    let engine = engine_run(id);
    let mut m = page();
    open(&mut m, id, 0);
    // Next while the step runs: the rest runs at once.
    for (k, (start, _)) in engine.iter().enumerate().skip(1) {
        m.apply(Op::Lesson(LessonOp::Next)).unwrap();
        assert_eq!(card(&m).step, k);
        assert_eq!(m.cluster().trace_hash(), *start, "step {}", k + 1);
    }
    for k in (0..engine.len() - 1).rev() {
        m.apply(Op::Lesson(LessonOp::Previous)).unwrap();
        assert_eq!(card(&m).step, k);
        assert_eq!(m.cluster().trace_hash(), engine[k].0, "back at step {}", k + 1);
    }
    m.apply(Op::Lesson(LessonOp::Previous)).unwrap();
    assert_eq!((card(&m).step, m.cluster().trace_hash()), (0, engine[0].0), "Previous on the first step restarts it");
    m.apply(Op::Lesson(LessonOp::Next)).unwrap();
    to_end(&mut m);
    m.apply(Op::Lesson(LessonOp::Replay)).unwrap();
    assert_eq!((card(&m).step, m.cluster().trace_hash(), card(&m).phase), (1, engine[1].0, Phase::Running));
    // Opening at a step is the same as getting there.
    for (k, (start, _)) in engine.iter().enumerate() {
        let mut at = page();
        open(&mut at, id, k);
        assert_eq!(at.cluster().trace_hash(), *start, "opened at step {}", k + 1);
    }
}

#[test]
fn the_lesson_drives_the_cluster_until_free_play_and_can_be_picked_up_again() {
    let mut m = page();
    open(&mut m, "failover", 0);
    let rev = m.run;
    let e = m.apply(Op::Sim(Action::Crash { node: NodeId(1) })).unwrap_err();
    assert!(e.contains("Free play from here"), "{e}");
    assert!(m.apply(Op::Sim(Action::Write { command: Command::set("x", 1), to: None })).is_err());
    // The page's Step runs the lesson event by event.
    let now = m.cluster().now();
    m.apply(Op::Step).unwrap();
    assert!(m.cluster().now() >= now && !m.playing);
    m.apply(Op::Lesson(LessonOp::Leave)).unwrap();
    assert!(!m.lessons.active());
    assert_eq!(m.run, rev, "free play goes on with the same run");
    m.apply(Op::Sim(Action::Crash { node: NodeId(1) })).unwrap();
    assert_eq!(m.lessons.left().map(|(id, _, step)| (id, step)), Some(("failover", 0)));
    // Picked up again at its step (the recording is loaded already: no fetch).
    m.apply(Op::Lesson(LessonOp::Resume)).unwrap();
    assert_eq!(m.lessons.take_fetch(), None);
    assert_eq!((card(&m).id.as_str(), card(&m).step), ("failover", 0));
    assert!(m.lessons.left().is_none());
    // A new run from Setup leaves the lesson too.
    m.apply(Op::Restart(page_config(3, 9))).unwrap();
    assert!(!m.lessons.active());
    assert_eq!(m.cluster().servers().len(), 3);
    assert_eq!(m.lessons.left().map(|(id, _, _)| id), Some("failover"));
}

#[test]
fn a_lesson_plays_on_the_timeline_which_goes_back_in_time_only_in_free_play() {
    let mut m = page();
    open(&mut m, "failover", 0);
    to_end(&mut m);
    let (end, hash) = (m.cluster().now(), m.cluster().trace_hash());
    assert!(end > 0);
    // The lesson's actions are the timeline's: one branch, its run to now.
    assert_eq!(m.timeline().latest(), end);
    assert_eq!(m.timeline().branches().len(), 1);
    // Seeking is the lesson's (switching branches is not refused: see the offers' test).
    for op in [Op::Seek(end / 2), Op::StepBack, Op::SeekLatest] {
        let e = m.apply(op).unwrap_err();
        assert!(e.contains("Free play from here") && e.contains("back in time"), "{e}");
        assert_eq!((m.cluster().now(), m.cluster().trace_hash()), (end, hash), "a refusal changes nothing");
    }
    m.apply(Op::Lesson(LessonOp::Leave)).unwrap();
    // In free play the lesson's past is there: back to the middle and on again to the same run.
    let config = m.cluster().initial_config().clone();
    let straight = raft_playground::sim::Cluster::replay(config, m.timeline().actions(), end / 2).unwrap();
    m.apply(Op::Seek(end / 2)).unwrap();
    assert_eq!((m.cluster().now(), m.cluster().trace_hash()), (end / 2, straight.trace_hash()));
    m.apply(Op::SeekLatest).unwrap();
    assert_eq!((m.cluster().now(), m.cluster().trace_hash()), (end, hash));
}

/// (moment, trace hash) of the cluster shown.
fn at(m: &Model) -> (u64, u64) {
    (m.cluster().now(), m.cluster().trace_hash())
}

/// (id, parent, current, own start) of each branch of the page's timeline.
fn branch_list(m: &Model) -> Vec<(u32, Option<u32>, bool, bool)> {
    m.timeline().branches().iter().map(|b| (b.id, b.parent, b.current, b.own_start)).collect()
}

#[test]
fn an_offers_replay_is_a_branch_of_the_timeline_that_the_lesson_view_follows() {
    let l = lesson::load("term-inflation").unwrap();
    let r = recorded("term-inflation");
    let b = r.branches.iter().find(|b| l.steps[b.step].offers[b.offer].label.contains("pre-vote")).unwrap();
    let label = l.steps[b.step].offers[b.offer].label.clone();
    let mut m = page();
    open(&mut m, "term-inflation", b.step);
    m.apply(Op::Advance(200)).unwrap();
    let lesson_at = at(&m);
    let lesson_card = card(&m);
    assert!(!lesson_card.offers.is_empty() && lesson_card.branch.is_none());

    // Playing the offer adds a branch to the timeline, with a start of its own, and plays it from the step.
    m.apply(Op::Lesson(LessonOp::Branch(b.offer))).unwrap();
    assert_eq!(branch_list(&m), vec![(1, None, false, false), (2, Some(1), true, true)]);
    let info = m.timeline().branches()[1].clone();
    assert_eq!(info.name, format!("branch 2: with pre-vote from step {}", b.step + 1));
    assert_eq!(info.forked_at, m.cluster().now(), "it parts where its step starts");
    assert!(m.cluster().initial_config().raft.pre_vote && !l.config.raft.pre_vote);
    assert_eq!((card(&m).branch.map(|(l, _)| l), card(&m).step), (Some(label.clone()), b.step));
    let offer_start = at(&m);
    m.apply(Op::Advance(300)).unwrap();
    let offer_at = at(&m);
    let offer_card = card(&m);
    assert!(offer_at.0 > offer_start.0);

    // Switching to the lesson's branch (the branch list, switchBranch) brings the lesson's view back as it was.
    m.apply(Op::SwitchBranch(1)).unwrap();
    assert_eq!(at(&m), lesson_at);
    assert_eq!(card(&m), lesson_card);
    assert_eq!((&m.start, m.lessons.address()), (&l.config, Some(("term-inflation".into(), b.step + 1))));
    assert_eq!(branch_list(&m), vec![(1, None, true, false), (2, Some(1), false, true)]);
    // The lesson plays on from there, and the offer's branch waits where it was.
    m.apply(Op::Advance(100)).unwrap();
    let lesson_later = (at(&m), card(&m));
    m.apply(Op::SwitchBranch(2)).unwrap();
    assert_eq!((at(&m), card(&m)), (offer_at, offer_card.clone()));
    assert!(m.start.raft.pre_vote);
    assert_eq!(m.lessons.address(), None, "a replay is not a link");
    // Back is a switch to the lesson's branch.
    m.apply(Op::Lesson(LessonOp::Back)).unwrap();
    assert_eq!((at(&m), card(&m)), lesson_later);
    assert_eq!(branch_list(&m), vec![(1, None, true, false), (2, Some(1), false, true)]);
    assert!(m.apply(Op::Lesson(LessonOp::Back)).unwrap_err().contains("not a replay"));

    // The offer again plays from its step: its new branch replaces the old one, as Replay in it does.
    m.apply(Op::Lesson(LessonOp::Branch(b.offer))).unwrap();
    assert_eq!(at(&m), offer_start);
    assert_eq!(branch_list(&m), vec![(1, None, false, false), (3, Some(1), true, true)]);
    m.apply(Op::Advance(300)).unwrap();
    assert_eq!((at(&m), card(&m)), (offer_at, offer_card));
    m.apply(Op::Lesson(LessonOp::Replay)).unwrap();
    assert_eq!(at(&m), offer_start);
    assert_eq!(branch_list(&m), vec![(1, None, false, false), (4, Some(1), true, true)]);
    to_end(&mut m);
    let offer_end = at(&m);
    assert_eq!(card(&m).mismatch, None);

    // Leaving keeps both branches for free play; acting in the past of either forks as time travel does.
    m.apply(Op::Lesson(LessonOp::Leave)).unwrap();
    assert!(!m.lessons.active());
    assert_eq!(branch_list(&m), vec![(1, None, false, false), (4, Some(1), true, true)]);
    m.apply(Op::SwitchBranch(1)).unwrap();
    assert_eq!((at(&m).1, &m.start), (lesson_later.0 .1, &l.config));
    m.apply(Op::Seek(1_000)).unwrap();
    m.apply(Op::Sim(Action::Crash { node: NodeId(1) })).unwrap();
    assert_eq!(branch_list(&m)[2], (5, Some(1), true, false));
    m.apply(Op::SwitchBranch(4)).unwrap();
    assert_eq!(at(&m), offer_end);
    m.apply(Op::Seek(offer_end.0 / 2)).unwrap();
    let actions = m.timeline().actions().iter().take_while(|(t, _)| *t <= offer_end.0 / 2).cloned().collect::<Vec<_>>();
    let straight = raft_playground::sim::Cluster::replay(m.start.clone(), &actions, offer_end.0 / 2).unwrap();
    assert_eq!(m.cluster().trace_hash(), straight.trace_hash(), "the offer's past is its own run's");
    m.apply(Op::Sim(Action::Crash { node: NodeId(2) })).unwrap();
    assert_eq!(branch_list(&m)[3], (6, Some(4), true, false));
    assert!(m.cluster().initial_config().raft.pre_vote);

    // Previous or Replay on the lesson rebuild its run on a new timeline: the offers' branches go with the old one.
    let mut m = page();
    open(&mut m, "term-inflation", b.step);
    m.apply(Op::Lesson(LessonOp::Branch(b.offer))).unwrap();
    m.apply(Op::Lesson(LessonOp::Back)).unwrap();
    m.apply(Op::Lesson(LessonOp::Replay)).unwrap();
    assert_eq!(branch_list(&m), vec![(1, None, true, false)]);
    m.apply(Op::Lesson(LessonOp::Branch(b.offer))).unwrap();
    assert_eq!(branch_list(&m), vec![(1, None, false, false), (2, Some(1), true, true)]);
    // branches() writes the branch's own start as serde does.
    let list = m.timeline().branches();
    let mine: serde_json::Value = serde_json::from_str(&raft_playground::view::json::branches(&list)).unwrap();
    assert_eq!(mine, serde_json::to_value(&list).unwrap());
    assert_eq!((&mine[0].get("ownStart"), &mine[1]["ownStart"]), (&None, &serde_json::Value::Bool(true)));
}

#[test]
fn opening_refuses_unknown_coming_and_broken_lessons_and_bad_steps_with_a_reason() {
    let mut m = page();
    let e = m.apply(Op::Lesson(LessonOp::Open { id: "nope".into(), step: 0 })).unwrap_err();
    assert!(e.contains("there is no lesson \"nope\""), "{e}");
    let e = m.apply(Op::Lesson(LessonOp::Open { id: "failover".into(), step: 5 })).unwrap_err();
    assert!(e.contains("has 5 steps; there is no step 6"), "{e}");
    match lessons().into_iter().find(|l| matches!(l.status, Status::Coming { .. })) {
        Some(coming) => {
            let e = m.apply(Op::Lesson(LessonOp::Open { id: coming.id.clone(), step: 0 })).unwrap_err();
            assert!(e.contains("Coming: it needs"), "{e}");
        }
        None => println!("note: no lesson is coming any more"),
    }
    // A fetch that fails, a file that is not a recording, or another lesson's: said, and nothing opens.
    for (text, says) in [
        (Err("404 Not Found".to_string()), "404 Not Found"),
        (Ok("<html>".to_string()), "not a recorded lesson"),
        (Ok(std::fs::read_to_string(file("transfer")).unwrap()), "it is lesson \"transfer\""),
    ] {
        m.apply(Op::Lesson(LessonOp::Open { id: "failover".into(), step: 0 })).unwrap();
        assert_eq!(m.lessons.take_fetch().as_deref(), Some("failover"));
        let e = m.apply(Op::Lesson(LessonOp::Loaded { id: "failover".into(), text })).unwrap_err();
        assert!(e.contains("could not be loaded") && e.contains(says), "{e}");
        assert!(!m.lessons.active() && m.lessons.loading().is_none());
        assert_eq!(m.lessons.load_error.as_deref(), Some(&e[..]));
        assert!(matches!(m.guidance(), Guidance::Notice(n) if n.error && n.text.contains(says)));
    }
    // A recording that arrives late, for a lesson no longer wanted, is kept but opens nothing.
    let text = std::fs::read_to_string(file("transfer")).unwrap();
    m.apply(Op::Lesson(LessonOp::Loaded { id: "transfer".into(), text: Ok(text) })).unwrap();
    assert!(!m.lessons.active());
    m.apply(Op::Lesson(LessonOp::Open { id: "transfer".into(), step: 0 })).unwrap();
    assert!(m.lessons.active() && m.lessons.take_fetch().is_none(), "kept: no second fetch");
}

#[test]
fn the_address_names_a_lesson_and_a_step_and_bad_ones_are_said() {
    let m = page();
    let at = |q: &[(&str, &str)]| {
        let q: Vec<(String, String)> = q.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        lesson_address(|k| q.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone()), &m.lessons)
    };
    assert_eq!(at(&[]), Ok(None));
    assert_eq!(at(&[("lesson", "failover")]), Ok(Some(("failover".into(), 0))));
    assert_eq!(at(&[("lesson", "failover"), ("step", "5")]), Ok(Some(("failover".into(), 4))));
    assert_eq!(at(&[("lesson", "failover"), ("step", "6")]), Err("step=6 (lesson failover has steps 1 to 5)".into()));
    assert_eq!(at(&[("lesson", "failover"), ("step", "0")]), Err("step=0 (lesson failover has steps 1 to 5)".into()));
    assert_eq!(at(&[("lesson", "failover"), ("step", "x")]), Err("step=x (lesson failover has steps 1 to 5)".into()));
    assert_eq!(
        at(&[("lesson", "two words")]),
        Err("lesson=two words (there is no such lesson: the Lessons panel lists them)".into())
    );
    assert_eq!(at(&[("step", "2")]), Err("step=2 (without lesson=)".into()));
    if let Some(coming) = lessons().into_iter().find(|l| matches!(l.status, Status::Coming { .. })) {
        assert!(at(&[("lesson", &coming.id)]).unwrap_err().contains("Coming: it needs"));
    }
    // The page writes the lesson and its step (from 1) into the address while it plays.
    let mut m = page();
    open(&mut m, "split-vote", 2);
    assert_eq!(m.lessons.address(), Some(("split-vote".into(), 3)));
    m.apply(Op::Lesson(LessonOp::Leave)).unwrap();
    assert_eq!(m.lessons.address(), None);
}

#[test]
fn progress_is_kept_as_text_raised_as_steps_end_and_cleared() {
    let p = Progress::read("failover=3;split-vote=1;bad;=2;x=y;UPPER=1;catch-up=2000");
    assert_eq!((p.done("failover"), p.done("split-vote"), p.done("catch-up"), p.done("nope")), (3, 1, 1000, 0));
    assert_eq!(Progress::read(&p.text()), p);
    assert!(Progress::read("").is_empty());
    assert_eq!(PROGRESS_KEY, "raftPlayground.lessons");
    let mut m = page();
    m.apply(Op::Lesson(LessonOp::Progress("failover=2".into()))).unwrap();
    let rev = m.lessons.progress_rev();
    open(&mut m, "failover", 0);
    assert_eq!(m.lessons.progress().done("failover"), 2, "never lowered");
    for _ in 0..3 {
        m.apply(Op::Lesson(LessonOp::Next)).unwrap();
    }
    assert_eq!(m.lessons.progress().done("failover"), 3, "steps moved past count as done");
    to_end(&mut m);
    assert_eq!(m.lessons.progress().done("failover"), 4, "and a step that ended");
    assert!(m.lessons.progress_rev() > rev);
    let groups = m.lessons.groups();
    let failover = groups.iter().flat_map(|(_, items)| items).find(|i| i.info.id == "failover").unwrap();
    assert_eq!(failover.done, 4);
    m.apply(Op::Lesson(LessonOp::Leave)).unwrap();
    // From the list, a lesson opens where the visitor got to; once done, from its start.
    let mut other = page();
    let text = std::fs::read_to_string(file("failover")).unwrap();
    other.apply(Op::Lesson(LessonOp::Loaded { id: "failover".into(), text: Ok(text) })).unwrap();
    for (kept, opens_at) in [("failover=2", 2), ("failover=5", 0), ("", 0)] {
        other.apply(Op::Lesson(LessonOp::Progress(kept.into()))).unwrap();
        other.apply(Op::Lesson(op_named("open:failover").unwrap())).unwrap();
        assert_eq!(card(&other).step, opens_at, "progress {kept:?}");
    }
    m.apply(Op::Lesson(LessonOp::ClearProgress)).unwrap();
    assert!(m.lessons.progress().is_empty());
    assert!(m.lessons.groups().iter().flat_map(|(_, items)| items).all(|i| i.done == 0));
}

#[test]
fn the_lesson_list_is_grouped_by_section_then_topic_with_what_is_not_available_said() {
    let m = page();
    let groups = m.lessons.groups();
    let titles: Vec<&str> = groups.iter().map(|(t, _)| t.as_str()).collect();
    let seed: Vec<&str> = titles[..4].iter().map(|t| &t[..17]).collect();
    assert_eq!(seed, ["The seed text, 1.", "The seed text, 2.", "The seed text, 3.", "The seed text, 4."]);
    assert_eq!(
        &titles[4..],
        ["Elections", "Partitions and lagging servers", "Why the rules are what they are", "Clients"]
    );
    let items: Vec<_> = groups.iter().flat_map(|(_, items)| items).collect();
    assert_eq!(items.len(), lessons().len());
    for i in items {
        assert_eq!(i.unavailable.is_some(), i.info.status != Status::Ready, "{}", i.info.id);
    }
}

#[test]
fn the_ring_and_the_log_grid_draw_the_steps_highlights() {
    // election-restriction step 2: S3 S1 S2 S4 and entries 3-5 on S1 S2 S4.
    let mut m = page();
    open(&mut m, "election-restriction", 1);
    let lit = m.lessons.highlights(m.cluster().now());
    let draw = ring_draw(&m);
    for s in &draw.servers {
        assert_eq!(s.lit, lit.iter().any(|h| h.covers_server(s.id)), "{}", s.id);
    }
    assert!(draw.servers.iter().filter(|s| s.lit).count() == 4);
    let grid = log_grid(&m);
    let mut cells = 0;
    for row in &grid.rows {
        assert_eq!(row.lit, lit.iter().any(|h| h.covers_server(row.id)));
        for (k, cell) in row.cells.iter().enumerate() {
            let i = row.first + k as u64;
            if let Some(cell) = cell {
                assert_eq!(cell.lit, lit.iter().any(|h| h.covers_entry(row.id, i)), "{} index {i}", row.id);
                cells += cell.lit as usize;
            }
        }
    }
    assert_eq!(cells, 9, "entries 3 to 5 on S1, S2 and S4");
    // Messages: split-vote step 2 highlights every RequestVote in flight.
    let mut m = page();
    open(&mut m, "split-vote", 1);
    while !m.cluster().messages().iter().any(|x| x.payload.kind() == MessageKind::RequestVote) {
        m.apply(Op::Advance(1)).unwrap();
    }
    let draw = ring_draw(&m);
    assert!(draw.messages.iter().any(|x| x.lit));
    for x in draw.messages.iter().filter(|x| x.lost.is_none()) {
        assert_eq!(x.lit, x.kind == MessageKind::RequestVote, "message #{}", x.id);
    }
    // The client, when a step points at it.
    let client = ready().into_iter().find_map(|l| {
        let k = l.steps.iter().position(|s| s.highlights.contains(&Highlight::Client))?;
        Some((l.id, k))
    });
    if let Some((id, k)) = client {
        let mut m = page();
        open(&mut m, &id, k);
        assert!(ring_draw(&m).client_lit);
    }
    // No lesson, nothing lit.
    let m = page();
    let draw = ring_draw(&m);
    assert!(draw.servers.iter().all(|s| !s.lit && !s.picked) && !draw.client_lit);
}

#[test]
fn a_grid_fitted_to_a_narrow_width_still_draws_the_entries_a_step_points_at() {
    // catch-up step 6: entries 5-10 on S5, while the logs reach index 10 (11
    // for S3's nextIndex): the latest MIN_COLUMNS start at index 6.
    let mut m = page();
    open(&mut m, "catch-up", 5);
    let lit = m.lessons.highlights(m.cluster().now());
    assert!(lit.iter().any(|h| matches!(h, Highlight::Entries { from: 5, to: 10, .. })), "{lit:?}");
    let full = log_grid_in(&m, MAX_COLUMNS);
    let last = *full.columns.last().unwrap();
    assert!(last >= 10 && last - MIN_COLUMNS + 1 > 5, "the fitted window alone starts after index 5: {last}");
    let g = log_grid_in(&m, MIN_COLUMNS);
    assert_eq!(g.columns, (5..=last).collect::<Vec<_>>(), "back to the first entry pointed at, no further");
    let s5 = g.rows.iter().find(|r| r.id == NodeId(5)).unwrap();
    let lit_cells: Vec<u64> =
        (5..=10).filter(|&i| s5.cells[(i - s5.first) as usize].as_ref().is_some_and(|c| c.lit)).collect();
    assert_eq!(lit_cells, (5..=10).collect::<Vec<_>>(), "S5's entries 5 to 10, drawn and lit");
    // Never further back than the latest MAX_COLUMNS, nor before index 1.
    assert_eq!(first_column(100, 6, &lit), 100 - MAX_COLUMNS + 1);
    assert_eq!(first_column(44, 6, &lit), 5);
    assert_eq!(first_column(3, 6, &lit), 1);
    assert_eq!(first_column(100, 6, &[]), 95, "nothing pointed at: the fitted window");
}

#[test]
fn the_line_under_the_toolbar_says_where_the_lesson_is() {
    let mut m = page();
    m.apply(Op::Lesson(LessonOp::Open { id: "failover".into(), step: 0 })).unwrap();
    assert!(matches!(m.guidance(), Guidance::Tip(t) if t == "Loading the lesson \"failover\"…"));
    let text = std::fs::read_to_string(file("failover")).unwrap();
    m.apply(Op::Lesson(LessonOp::Loaded { id: "failover".into(), text: Ok(text) })).unwrap();
    let Guidance::Tip(t) = m.guidance() else { panic!() };
    assert!(t.starts_with("Lesson, step 1 of 5: ") && t.contains("Waiting for: S5 leads."), "{t}");
    to_end(&mut m);
    let Guidance::Tip(t) = m.guidance() else { panic!() };
    assert!(t.ends_with("Done: Next goes on."), "{t}");
    let state = m.lessons.state(m.cluster().now()).unwrap();
    assert_eq!(
        (state.id.as_str(), state.step, state.steps, state.waiting, state.asking, state.ended),
        ("failover", 1, 5, None, false, true)
    );
}

#[test]
fn every_control_of_the_panel_names_its_op() {
    use raft_playground::lesson::Answer as A;
    for (name, op) in [
        ("next", Some(LessonOp::Next)),
        ("previous", Some(LessonOp::Previous)),
        ("replay", Some(LessonOp::Replay)),
        ("skip-ahead", Some(LessonOp::SkipAhead)),
        ("check", Some(LessonOp::Check)),
        ("skip-question", Some(LessonOp::SkipQuestion)),
        ("leave", Some(LessonOp::Leave)),
        ("back", Some(LessonOp::Back)),
        ("resume", Some(LessonOp::Resume)),
        ("clear", Some(LessonOp::ClearProgress)),
        ("yes", Some(LessonOp::Answer(A::YesNo(true)))),
        ("no", Some(LessonOp::Answer(A::YesNo(false)))),
        ("choice:2", Some(LessonOp::Answer(A::Choice(2)))),
        ("branch:1", Some(LessonOp::Branch(1))),
        ("open:split-vote", Some(LessonOp::Take("split-vote".into()))),
        ("open:", None),
        ("choice:x", None),
        ("branch", None),
        ("", None),
        ("nope", None),
    ] {
        assert_eq!(op_named(name), op, "{name:?}");
    }
}

/// A lesson in which a server joins (membership): the lines after `add server`
/// name it like the first ones, and the page's lesson plays, highlights and asks about it.
#[cfg(feature = "membership")]
#[test]
fn a_server_added_during_a_lesson_is_named_highlighted_and_asked_about_like_the_others() {
    // It stands in for the failover lesson's recording (the page opens lessons of its list only).
    let text = r#"lesson failover "A server joins"
topic clients
summary "S4 joins a cluster of three."
servers 3
seed 42

step "S4 joins"
caption "A fourth server, S4, joins: the leader sends it the log."
wait until leader in S1 S2 S3 within 2s
write x=1
wait until applied x=1 on all within 2s
add server
highlight S4
wait until applied x=1 on S4 within 3s

step "S4 has the log"
caption "S4 stores x=1 like the others."
highlight S4
ask "Which servers store x=1? Click them." servers
answer stores x=1
explain "All four: S4 took the log from the leader."
highlight S1 S2 S3 S4
crash S4
wait until crashed S4 within 1s
"#;
    let l = lesson::parse(text).unwrap_or_else(|e| panic!("{e}"));
    let r = record(&l).unwrap_or_else(|e| panic!("{e}"));
    let four = [NodeId(1), NodeId(2), NodeId(3), NodeId(4)];
    assert_eq!(r.steps[0].highlights, vec![Highlight::Servers { servers: vec![NodeId(4)] }]);
    assert_eq!(r.steps[1].question.as_ref().unwrap().truth, Answer::Servers(four.to_vec()));
    let written = r.to_text().unwrap();
    assert_eq!(RecordedLesson::from_text(&written).unwrap(), r, "it reads back");
    // Lines before the server is added cannot name it.
    let early = text.replacen("write x=1", "crash S4", 1);
    let e = lesson::parse(&early).unwrap_err().to_string();
    assert!(e.contains("there is no server S4: the cluster has S1 to S3"), "{e}");

    let mut m = page();
    m.apply(Op::Lesson(LessonOp::Open { id: "failover".into(), step: 0 })).unwrap();
    m.lessons.take_fetch();
    m.apply(Op::Lesson(LessonOp::Loaded { id: "failover".into(), text: Ok(written) })).unwrap();
    to_end(&mut m);
    assert_eq!(m.cluster().servers().len(), 4);
    assert_eq!(m.lessons.highlights(m.cluster().now()), r.steps[0].highlights);
    let draw = ring_draw(&m);
    let lit: Vec<NodeId> = draw.servers.iter().filter(|s| s.lit).map(|s| s.id).collect();
    assert_eq!(lit, vec![NodeId(4)], "the ring lights the server added");
    assert!(log_grid(&m).rows.iter().any(|row| row.id == NodeId(4) && row.lit));
    m.apply(Op::Lesson(LessonOp::Next)).unwrap();
    to_question(&mut m);
    for id in four {
        m.apply(Op::Select(Some(id))).unwrap();
    }
    assert_eq!(m.lessons.picked(), &four);
    m.apply(Op::Lesson(LessonOp::Check)).unwrap();
    to_end(&mut m);
    let c = card(&m);
    let reveal = c.reveal.unwrap();
    assert!(reveal.correct, "{}", reveal.verdict());
    assert_eq!(reveal.verdict(), "✓ Right.");
    assert!(m.lessons.highlights(m.cluster().now()).contains(&Highlight::Servers { servers: four.to_vec() }));
    assert!(m.cluster().node(NodeId(4)).is_some_and(|n| !n.is_up()));
    assert_eq!(c.mismatch, None);
    assert!(c.finished);
}

/// The step card's "Waiting for: ..." reads as words: a negated condition
/// says what ends ("S5 to stop leading"), never "not: S5 leads".
#[test]
fn waiting_lines_are_plain_words() {
    let mut all = Vec::new();
    for l in ready() {
        let r = recorded(&l.id);
        all.extend(r.steps.iter().flat_map(|s| s.segment.waits.iter().map(|(_, w)| w.clone())));
    }
    assert!(all.len() > 40, "{}", all.len());
    assert!(all.iter().all(|w| !w.starts_with("not")), "{all:?}");
    assert!(all.iter().any(|w| w == "S5 to stop leading"), "term-inflation's wait until not leader S5");
}
