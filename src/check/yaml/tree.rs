//! The shape of a YAML document as the image finder needs it: mappings,
//! sequences and scalars, each scalar with the bytes of the file that hold
//! it. Two readers build it: `saphyr-parser`'s events (a file that parses)
//! and [`super::lenient`] (a file that does not).

use std::ops::Range;

/// A scalar value and where it is written.
#[derive(Clone, Debug)]
pub(crate) struct Scalar {
    /// The value: the bytes of the file when [`exact`](Self::exact),
    /// else the parser's reading (escapes, folding, a block scalar).
    pub value: String,
    /// Where the value starts in the file when its bytes there are exactly
    /// the value (a plain or quoted scalar without escapes or folding).
    pub exact: Option<usize>,
    /// The bytes of the whole node as written (quotes, anchor, block
    /// header included).
    pub raw: Range<usize>,
    /// A plain scalar (`null`, `~` and the empty value mean nothing).
    pub plain: bool,
    /// A literal block scalar (`|`): its lines are the file's lines.
    pub literal: bool,
    /// Its anchor id, 0 for none.
    pub anchor: usize,
}

impl Scalar {
    /// Whether the value means "nothing".
    pub fn is_null(&self) -> bool {
        self.value.trim().is_empty()
            || (self.plain && matches!(self.value.as_str(), "~" | "null" | "Null" | "NULL"))
    }

    /// Where the value is written: its exact bytes, or the node's.
    pub fn span(&self) -> Range<usize> {
        match self.exact {
            Some(at) => at..at + self.value.len(),
            None => self.raw.clone(),
        }
    }
}

/// A node of a document.
#[derive(Debug)]
pub(crate) enum Node {
    Scalar(Scalar),
    /// Entries in order; a key that is not a scalar is `None`.
    Map(Vec<(Option<Scalar>, Node)>),
    Seq(Vec<Node>),
    /// A use of an anchor (`*id`).
    Alias(usize),
}

impl Node {
    /// The scalar this node is, if it is one.
    pub fn scalar(&self) -> Option<&Scalar> {
        match self {
            Node::Scalar(s) => Some(s),
            _ => None,
        }
    }
}

/// A document being built, bottom-up, from nodes that arrive in order.
#[derive(Debug, Default)]
pub(crate) struct Builder {
    stack: Vec<Open>,
    /// Finished documents.
    pub docs: Vec<Node>,
}

#[derive(Debug)]
enum Open {
    /// Entries, and the key waiting for its value (`Some(None)`: a key that
    /// is not a scalar).
    Map(Vec<(Option<Scalar>, Node)>, Option<Option<Scalar>>),
    Seq(Vec<Node>),
}

impl Builder {
    pub fn start_map(&mut self) {
        self.stack.push(Open::Map(Vec::new(), None));
    }

    pub fn start_seq(&mut self) {
        self.stack.push(Open::Seq(Vec::new()));
    }

    /// The innermost open collection is done.
    pub fn end(&mut self) {
        let node = match self.stack.pop() {
            Some(Open::Map(mut entries, pending)) => {
                if let Some(key) = pending {
                    entries.push((key, Node::Scalar(empty())));
                }
                Node::Map(entries)
            }
            Some(Open::Seq(items)) => Node::Seq(items),
            None => return,
        };
        self.node(node);
    }

    /// A complete node: a key, a value or an item of what is open.
    pub fn node(&mut self, node: Node) {
        match self.stack.last_mut() {
            Some(Open::Map(entries, pending)) => match pending.take() {
                Some(key) => entries.push((key, node)),
                None => {
                    *pending = Some(match node {
                        Node::Scalar(s) => Some(s),
                        _ => None,
                    })
                }
            },
            Some(Open::Seq(items)) => items.push(node),
            None => self.docs.push(node),
        }
    }

    /// What is innermost open: `Some(true)` a mapping waiting for the
    /// value of a key, `Some(false)` a mapping waiting for a key, `None` a
    /// sequence or nothing.
    pub fn top_map(&self) -> Option<bool> {
        match self.stack.last() {
            Some(Open::Map(_, pending)) => Some(pending.is_some()),
            _ => None,
        }
    }

    /// Closes everything open: the end of a document.
    pub fn finish(&mut self) {
        while !self.stack.is_empty() {
            self.end();
        }
    }
}

/// An empty plain scalar, where a value is missing.
pub(crate) fn empty() -> Scalar {
    Scalar {
        value: String::new(),
        exact: None,
        raw: 0..0,
        plain: true,
        literal: false,
        anchor: 0,
    }
}
