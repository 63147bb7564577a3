//! A bounded reader over a byte slice: every read is checked, none panics.

/// Not enough bytes left for what the format says should follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Short;

#[derive(Clone, Copy, Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf }
    }

    pub fn remaining(&self) -> usize {
        self.buf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    pub fn rest(&self) -> &'a [u8] {
        self.buf
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], Short> {
        if n > self.buf.len() {
            return Err(Short);
        }
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(head)
    }

    /// Exactly the next `n` bytes as their own reader, for one attribute or one capability.
    pub fn sub(&mut self, n: usize) -> Result<Reader<'a>, Short> {
        Ok(Reader { buf: self.take(n)? })
    }

    pub fn u8(&mut self) -> Result<u8, Short> {
        let b = self.take(1)?;
        b.first().copied().ok_or(Short)
    }

    pub fn u16(&mut self) -> Result<u16, Short> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes(b.try_into().map_err(|_| Short)?))
    }

    pub fn u32(&mut self) -> Result<u32, Short> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes(b.try_into().map_err(|_| Short)?))
    }

    pub fn u64(&mut self) -> Result<u64, Short> {
        let b = self.take(8)?;
        Ok(u64::from_be_bytes(b.try_into().map_err(|_| Short)?))
    }
}

/// Write a placeholder length, run `body`, then back-fill the length; fails if it overflows.
pub fn with_len16(out: &mut Vec<u8>, body: impl FnOnce(&mut Vec<u8>)) -> Result<(), Short> {
    let at = out.len();
    out.extend_from_slice(&[0, 0]);
    body(out);
    let len = u16::try_from(out.len() - at - 2).map_err(|_| Short)?;
    if let Some(slot) = out.get_mut(at..at + 2) {
        slot.copy_from_slice(&len.to_be_bytes());
    }
    Ok(())
}

/// As `with_len16`, with a one-byte length.
pub fn with_len8(out: &mut Vec<u8>, body: impl FnOnce(&mut Vec<u8>)) -> Result<(), Short> {
    let at = out.len();
    out.push(0);
    body(out);
    let len = u8::try_from(out.len() - at - 1).map_err(|_| Short)?;
    if let Some(slot) = out.get_mut(at) {
        *slot = len;
    }
    Ok(())
}
