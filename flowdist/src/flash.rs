//! `flowdist flash`: program the 5A-75B over JTAG with openFPGALoader (board `colorlight`),
//! into the FPGA's SRAM (lost at power-off) or the SPI flash (kept). openFPGALoader is
//! installed from Debian when it is not on PATH.
use std::path::Path;
use std::process::Command;

/// Where the bitstream goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Sram,
    Flash,
}

/// The openFPGALoader command line for a bitstream.
pub fn loader_args(bit: &Path, target: Target, cable: Option<&str>) -> Vec<String> {
    let mut a = vec!["-b".to_string(), "colorlight".to_string()];
    if let Some(c) = cable {
        a.push("-c".into());
        a.push(c.into());
    }
    if target == Target::Flash {
        a.push("-f".into());
    }
    a.push(bit.display().to_string());
    a
}

/// What went wrong, from openFPGALoader's output, in words a user can act on.
pub fn explain_failure(output: &str) -> String {
    let o = output.to_lowercase();
    if o.contains("no cable")
        || o.contains("unable to open")
        || o.contains("cable not found")
        || o.contains("no device found")
        || o.contains("fails to open")
    {
        "no JTAG cable found: connect a JTAG adapter to the board's JTAG pads (TCK, TMS, TDI, \
         TDO, GND), power the board, and name the adapter with --cable if it is not the \
         default FT2232 (openFPGALoader --list-cables)"
            .into()
    } else if o.contains("idcode") || o.contains("not supported") {
        "the JTAG chain does not show an LFE5U-25F: check the wiring and that the board is \
         powered"
            .into()
    } else {
        "openFPGALoader failed (its output is above)".into()
    }
}

fn ensure_loader() -> Result<(), String> {
    if Command::new("openFPGALoader")
        .arg("--help")
        .output()
        .is_ok()
    {
        return Ok(());
    }
    eprintln!("flowdist flash: installing openFPGALoader (Debian package openfpgaloader)");
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let apt = |args: &[&str]| -> Result<(), String> {
        let mut c = if root {
            Command::new("apt-get")
        } else {
            let mut c = Command::new("sudo");
            c.arg("apt-get");
            c
        };
        let st = c
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .map_err(|e| format!("cannot run apt-get: {e}"))?;
        if st.success() {
            Ok(())
        } else {
            Err(
                "installing openfpgaloader with apt-get failed; install openFPGALoader and \
                 put it on PATH"
                    .into(),
            )
        }
    };
    apt(&["update", "-qq"])?;
    apt(&["install", "-y", "-qq", "openfpgaloader"])
}

pub fn flash(bit: &Path, target: Target, cable: Option<&str>) -> Result<(), String> {
    if !bit.exists() {
        return Err(format!(
            "{}: no such bitstream (build it first: cargo run --release -p flowdist -- build)",
            bit.display()
        ));
    }
    ensure_loader()?;
    let args = loader_args(bit, target, cable);
    println!("openFPGALoader {}", args.join(" "));
    let out = Command::new("openFPGALoader")
        .args(&args)
        .output()
        .map_err(|e| format!("cannot run openFPGALoader: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    print!("{text}");
    if out.status.success() {
        Ok(())
    } else {
        Err(explain_failure(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines() {
        let bit = Path::new("build/ecp5/flowdist_top.bit");
        assert_eq!(
            loader_args(bit, Target::Sram, None),
            ["-b", "colorlight", "build/ecp5/flowdist_top.bit"]
        );
        assert_eq!(
            loader_args(bit, Target::Flash, Some("ft232")),
            [
                "-b",
                "colorlight",
                "-c",
                "ft232",
                "-f",
                "build/ecp5/flowdist_top.bit"
            ]
        );
    }

    #[test]
    fn failures_explained() {
        assert!(
            explain_failure("unable to open ftdi device: -3 (device not found)")
                .starts_with("no JTAG cable")
        );
        assert!(explain_failure("JTAG init failed with: no device found").starts_with("no JTAG"));
        assert!(explain_failure("something else").contains("output is above"));
    }
}
