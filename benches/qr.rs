//! QR decoding: time per image and decode rate, on real certificate images and on degraded
//! copies of them.
//!
//! ```text
//! cargo bench --bench qr            # ../shared is used when present, drawn codes otherwise
//! node benches/web/qr-frames.mjs --zxing && cargo bench --bench qr -- --frames target/qr-frames
//! ```
//!
//! With `--frames DIR`: the bench page's frames (benches/web/page/frames.js, written to DIR by
//! benches/web/qr-frames.mjs), decoded natively, with the decode rate per condition and strength
//! next to zxing-wasm's on the same frames (when the manifest holds it), and the median time per
//! frame size. `--failed` also lists the frames we miss; `--only TEXT` keeps the frames whose id
//! contains TEXT.
//!
//! Prints, per set, how many images decode to the expected text and the median (and 95th
//! percentile) milliseconds per `decode_luma` call. The degraded sets are made from every third
//! dgc-testdata picture: shrunk to 150 and 120 pixels, blurred, noisy, unevenly lit, inverted,
//! turned, set in 1280×720 and 1920×1080 frames. These numbers chose the attempts that
//! `dcc_verifier::qr::decode_luma` makes.

use std::path::PathBuf;
use std::time::Instant;

use base64::Engine;
use dcc_verifier::qr::{decode_image_file, decode_luma, load_image_file, LumaImage};
use rxing::qrcode::QRCodeWriter;
use rxing::{BarcodeFormat, EncodeHints, Writer};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--frames") {
        let dir = args.get(at + 1).map_or("target/qr-frames", String::as_str);
        let only = args
            .iter()
            .position(|a| a == "--only")
            .and_then(|i| args.get(i + 1));
        bench_frames(
            std::path::Path::new(dir),
            args.iter().any(|a| a == "--failed"),
            only.map(String::as_str),
        );
        return;
    }
    let shared = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared"));
    let real = if shared.exists() {
        real_certificates(&shared)
    } else {
        Vec::new()
    };
    if real.is_empty() {
        println!("../shared not found: timing drawn codes only");
    }

    println!("\n== time per image (median of repeated runs) ==");
    if let Ok(bytes) = std::fs::read(shared.join("samples/VN/VAC_VN.png")) {
        if let Ok(image) = load_image_file(&bytes) {
            let size = format!("{}×{}", image.width, image.height);
            time_one(&format!("VN sample {size}, decode_luma"), || {
                decode_luma(&image).is_ok()
            });
        }
        time_one("VN sample, decode_image_file (JPEG + decode)", || {
            decode_image_file(&bytes).is_ok()
        });
    }
    // The Vietnamese certificate's text (825 characters) at error correction M: version 20.
    let vn_text = std::fs::read_to_string(shared.join("samples/VN/VAC_VN.txt"));
    let text = vn_text
        .map(|text| text.trim().to_owned())
        .unwrap_or_else(|_| drawn_hc1_text());
    let (version, code) = draw_qr(&text, "M", 5);
    let frame = in_frame(&code, 1280, 720, 0xF00D);
    time_one(
        &format!(
            "1280×720 frame, version {version} QR ({} characters, {} px)",
            text.len(),
            code.width
        ),
        || decode_luma(&frame).is_ok(),
    );
    let empty = in_frame(
        &image(code.width, code.height, vec![200; code.pixels.len()]),
        1280,
        720,
        0xF00D,
    );
    time_one("1280×720 frame without a code", || {
        decode_luma(&empty).is_err()
    });
    let (_, big_code) = draw_qr(&text, "M", 10);
    let uhd = in_frame(&big_code, 3840, 2160, 7);
    time_one("3840×2160 frame (shrunk before the search)", || {
        decode_luma(&uhd).is_ok()
    });
    let hostile = finder_tiles(1448, 2, 16);
    time_one("1448×1448 tiled with 8,000 finder patterns", || {
        decode_luma(&hostile).is_err()
    });

    println!("\n== decode rate and time per set ==");
    let base: Vec<(LumaImage, String)> = if real.is_empty() {
        (0..30)
            .map(|k| {
                let text = format!("{}{k}", drawn_hc1_text());
                (draw_qr(&text, ["L", "M", "Q"][k % 3], 3).1, text)
            })
            .collect()
    } else {
        run_set("dgc-testdata 2DCODE pictures", &real);
        real.iter().step_by(3).cloned().collect()
    };
    type Degrade = fn(&LumaImage, u64) -> LumaImage;
    let variants: [(&str, Degrade); 14] = [
        ("shrunk to 150 px", |i, _| scale_to(i, 150)),
        ("shrunk to 120 px", |i, _| scale_to(i, 120)),
        ("blurred (300 px)", |i, _| box_blur(&scale_to(i, 300), 1)),
        ("blurred + noise (250 px)", |i, k| {
            noise(&box_blur(&scale_to(i, 250), 1), 20.0, k)
        }),
        ("heavy noise ±70", |i, k| noise(&scale_to(i, 300), 70.0, k)),
        ("uneven light", |i, k| {
            noise(&lighting(&scale_to(i, 300)), 20.0, k)
        }),
        ("inverted (dark mode)", |i, _| invert(i)),
        ("turned 90°", |i, _| rotate(i, 90.0)),
        ("turned 17°", |i, _| rotate(&scale_to(i, 300), 17.0)),
        ("in 1280×720 frame (360 px)", |i, k| {
            in_frame(&scale_to(i, 360), 1280, 720, k)
        }),
        ("in 1280×720 frame (200 px)", |i, k| {
            in_frame(&scale_to(i, 200), 1280, 720, k)
        }),
        ("blurred 1280×720 frame", |i, k| {
            noise(
                &box_blur(&in_frame(&scale_to(i, 500), 1280, 720, k), 2),
                15.0,
                k,
            )
        }),
        ("inverted 1280×720 frame", |i, k| {
            invert(&in_frame(&scale_to(i, 300), 1280, 720, k))
        }),
        ("blurred 1920×1080 photo", |i, k| {
            noise(
                &box_blur(&in_frame(&scale_to(i, 1000), 1920, 1080, k), 3),
                10.0,
                k,
            )
        }),
    ];
    for (name, degrade) in variants {
        let set: Vec<(LumaImage, String)> = base
            .iter()
            .enumerate()
            .map(|(k, (image, text))| (degrade(image, k as u64 + 1), text.clone()))
            .collect();
        run_set(name, &set);
    }
}

/// The frames of benches/web/qr-frames.mjs: our decode rate per condition and strength next to
/// zxing-wasm's (from the manifest), and our median time per frame size.
fn bench_frames(dir: &std::path::Path, list_failed: bool, only: Option<&str>) {
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join("manifest.json"))
            .expect("no manifest.json: run node benches/web/qr-frames.mjs first"),
    )
    .expect("manifest.json");
    let frames = manifest["frames"].as_array().expect("frames");
    // (condition, strength) -> [ours, zxing, frames]; size -> our times
    let mut rates: Vec<((String, u64), [usize; 3])> = Vec::new();
    let mut times: Vec<(String, Vec<f64>)> = Vec::new();
    let mut failed = Vec::new();
    for frame in frames {
        let id = frame["id"].as_str().unwrap_or_default();
        if only.is_some_and(|only| !id.contains(only)) {
            continue;
        }
        let (width, height) = (
            frame["width"].as_u64().unwrap_or(0) as u32,
            frame["height"].as_u64().unwrap_or(0) as u32,
        );
        let Ok(pixels) = std::fs::read(dir.join(format!("{id}.gray"))) else {
            continue;
        };
        let image = image(width, height, pixels);
        let start = Instant::now();
        let result = decode_luma(&image);
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        let ok = result.as_deref() == Ok(frame["text"].as_str().unwrap_or_default());
        let key = (
            frame["condition"].as_str().unwrap_or_default().to_owned(),
            frame["strength"].as_u64().unwrap_or(0),
        );
        let at = rates
            .iter()
            .position(|(k, _)| *k == key)
            .unwrap_or_else(|| {
                rates.push((key, [0; 3]));
                rates.len() - 1
            });
        let counts = &mut rates[at].1;
        counts[0] += usize::from(ok);
        counts[1] += usize::from(frame["zxing"].as_bool() == Some(true));
        counts[2] += 1;
        let size = format!("{width}x{height}");
        match times.iter_mut().find(|(s, _)| *s == size) {
            Some((_, list)) => list.push(ms),
            None => times.push((size, vec![ms])),
        }
        if !ok {
            failed.push(format!(
                "{id} ({ms:.0} ms, zxing {})",
                if frame["zxing"].as_bool() == Some(true) {
                    "read it"
                } else {
                    "missed it too"
                }
            ));
        }
    }
    println!("condition      strength    ours   zxing-wasm");
    let mut conditions: Vec<(String, [usize; 3])> = Vec::new();
    for ((condition, strength), [ours, zxing, n]) in &rates {
        println!("{condition:<14} {strength:>8} {ours:>4}/{n:<3} {zxing:>4}/{n:<3}");
        match conditions.iter_mut().find(|(c, _)| c == condition) {
            Some((_, sum)) => {
                sum[0] += ours;
                sum[1] += zxing;
                sum[2] += n;
            }
            None => conditions.push((condition.clone(), [*ours, *zxing, *n])),
        }
    }
    println!("\ncondition        ours     zxing-wasm");
    let mut degraded = [0; 3];
    for (condition, [ours, zxing, n]) in &conditions {
        let pct = |k: &usize| 100.0 * *k as f64 / (*n).max(1) as f64;
        println!(
            "{condition:<14} {:>5.0}% {ours:>3}/{n:<3} {:>5.0}% {zxing:>3}/{n:<3}",
            pct(ours),
            pct(zxing)
        );
        if condition != "clean" {
            degraded[0] += ours;
            degraded[1] += zxing;
            degraded[2] += n;
        }
    }
    let [ours, zxing, n] = degraded;
    println!("all degraded   {ours}/{n} vs zxing {zxing}/{n}");
    for (size, mut list) in times {
        list.sort_by(f64::total_cmp);
        println!(
            "{size:<10} median {:>6.1} ms   p90 {:>6.1} ms",
            list[list.len() / 2],
            list[list.len() * 9 / 10]
        );
    }
    if list_failed {
        println!("\nmissed:");
        for line in failed {
            println!("  {line}");
        }
    }
}

/// The dgc-testdata pictures whose text is known to be in them, with that text.
fn real_certificates(shared: &std::path::Path) -> Vec<(LumaImage, String)> {
    let root = shared.join("corpus/dgc-testdata");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|country| {
            std::fs::read_dir(country.path().join("2DCode/raw"))
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .filter_map(|file| {
            let case: serde_json::Value =
                serde_json::from_slice(&std::fs::read(file).ok()?).ok()?;
            let flag = case.pointer("/EXPECTEDRESULTS/EXPECTEDPICTUREDECODE");
            if flag.and_then(|v| v.as_bool()) != Some(true) {
                return None;
            }
            let png = base64::engine::general_purpose::STANDARD
                .decode(case["2DCODE"].as_str()?.trim())
                .ok()?;
            Some((
                load_image_file(&png).ok()?,
                case["PREFIX"].as_str()?.to_owned(),
            ))
        })
        .collect()
}

fn time_one(name: &str, mut decode: impl FnMut() -> bool) {
    let mut times = Vec::new();
    let start = Instant::now();
    let mut expected = true;
    while times.len() < 5 || (start.elapsed().as_secs_f64() < 2.0 && times.len() < 200) {
        let run = Instant::now();
        expected &= decode();
        times.push(run.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let outcome = if expected {
        ""
    } else {
        "  (UNEXPECTED RESULT)"
    };
    println!("{name:<62} {:>8.2} ms{outcome}", times[times.len() / 2]);
}

fn run_set(name: &str, set: &[(LumaImage, String)]) {
    let mut times = Vec::new();
    let mut decoded = 0;
    for (image, text) in set {
        let run = Instant::now();
        let result = decode_luma(image);
        times.push(run.elapsed().as_secs_f64() * 1000.0);
        decoded += usize::from(result.as_ref() == Ok(text));
    }
    times.sort_by(f64::total_cmp);
    let percent = 100.0 * decoded as f64 / set.len().max(1) as f64;
    let (median, p95) = (times[times.len() / 2], times[times.len() * 95 / 100]);
    println!(
        "{name:<30} {decoded:>4}/{:<4} {percent:>6.1} %   median {median:>7.2} ms   p95 {p95:>7.2} ms",
        set.len()
    );
}

// ---- drawing and degrading ------------------------------------------------------------------

fn drawn_hc1_text() -> String {
    let alphabet = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let body: String = (0..640u32)
        .map(|i| char::from(alphabet[(i * 7 + i / 5) as usize % alphabet.len()]))
        .collect();
    format!("HC1:{body}")
}

/// `text` as a QR code with error correction `level` and `module` pixels a module: its version
/// and its image (four-module quiet zone).
fn draw_qr(text: &str, level: &str, module: u32) -> (u32, LumaImage) {
    let hints = EncodeHints {
        ErrorCorrection: Some(level.to_owned()),
        Margin: Some("4".to_owned()),
        ..EncodeHints::default()
    };
    let bits = QRCodeWriter
        .encode_with_hints(text, &BarcodeFormat::QR_CODE, 0, 0, &hints)
        .expect("encodable");
    let modules = bits.getWidth();
    let side = modules * module;
    let pixels = (0..side * side)
        .map(|i| {
            if bits.get(i % side / module, i / side / module) {
                0
            } else {
                255
            }
        })
        .collect();
    (
        (modules - 8 - 17) / 4,
        LumaImage {
            width: side,
            height: side,
            pixels,
        },
    )
}

fn image(width: u32, height: u32, pixels: Vec<u8>) -> LumaImage {
    LumaImage {
        width,
        height,
        pixels,
    }
}

fn pixel(i: &LumaImage, x: i64, y: i64) -> f32 {
    if x < 0 || y < 0 || x >= i64::from(i.width) || y >= i64::from(i.height) {
        255.0
    } else {
        f32::from(i.pixels[(y as u32 * i.width + x as u32) as usize])
    }
}

fn bilinear(i: &LumaImage, x: f32, y: f32) -> u8 {
    let (x0, y0) = (x.floor(), y.floor());
    let (ax, ay) = (x - x0, y - y0);
    let (x0, y0) = (x0 as i64, y0 as i64);
    let value = pixel(i, x0, y0) * (1.0 - ax) * (1.0 - ay)
        + pixel(i, x0 + 1, y0) * ax * (1.0 - ay)
        + pixel(i, x0, y0 + 1) * (1.0 - ax) * ay
        + pixel(i, x0 + 1, y0 + 1) * ax * ay;
    value.round().clamp(0.0, 255.0) as u8
}

/// Resized so that the longer side is `side` pixels (area average when shrinking).
fn scale_to(i: &LumaImage, side: u32) -> LumaImage {
    let scale = side as f32 / i.width.max(i.height) as f32;
    let (w, h) = (
        ((i.width as f32 * scale).round() as u32).max(1),
        ((i.height as f32 * scale).round() as u32).max(1),
    );
    let (sx, sy) = (i.width as f32 / w as f32, i.height as f32 / h as f32);
    let mut out = Vec::with_capacity((w * h) as usize);
    for y in 0..h {
        for x in 0..w {
            if sx <= 1.0 {
                out.push(bilinear(
                    i,
                    (x as f32 + 0.5) * sx - 0.5,
                    (y as f32 + 0.5) * sy - 0.5,
                ));
                continue;
            }
            let (x0, x1, y0, y1) = (
                x as f32 * sx,
                (x + 1) as f32 * sx,
                y as f32 * sy,
                (y + 1) as f32 * sy,
            );
            let (mut sum, mut weight) = (0.0, 0.0);
            for yy in (y0.floor() as u32)..(y1.ceil() as u32).min(i.height) {
                let wy = (yy as f32 + 1.0).min(y1) - (yy as f32).max(y0);
                for xx in (x0.floor() as u32)..(x1.ceil() as u32).min(i.width) {
                    let wx = (xx as f32 + 1.0).min(x1) - (xx as f32).max(x0);
                    sum += wx * wy * f32::from(i.pixels[(yy * i.width + xx) as usize]);
                    weight += wx * wy;
                }
            }
            out.push((sum / weight).round() as u8);
        }
    }
    image(w, h, out)
}

/// Two passes of a (2r+1)-wide box blur, horizontally and vertically (close to a Gaussian).
fn box_blur(i: &LumaImage, r: i64) -> LumaImage {
    let (w, h) = (i64::from(i.width), i64::from(i.height));
    let mut pixels = i.pixels.clone();
    for pass in 0..4 {
        let horizontal = pass % 2 == 0;
        let source = pixels.clone();
        for y in 0..h {
            for x in 0..w {
                let (mut sum, mut n) = (0u32, 0u32);
                for d in -r..=r {
                    let (xx, yy) = if horizontal { (x + d, y) } else { (x, y + d) };
                    if xx >= 0 && yy >= 0 && xx < w && yy < h {
                        sum += u32::from(source[(yy * w + xx) as usize]);
                        n += 1;
                    }
                }
                pixels[(y * w + x) as usize] = (sum / n) as u8;
            }
        }
    }
    image(i.width, i.height, pixels)
}

/// A xorshift generator: the same degraded images on every run.
struct Random(u64);

impl Random {
    fn unit(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// Triangular noise of ±`amplitude`.
fn noise(i: &LumaImage, amplitude: f32, seed: u64) -> LumaImage {
    let mut random = Random(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let pixels = i
        .pixels
        .iter()
        .map(|&p| {
            (f32::from(p) + (random.unit() + random.unit() - 1.0) * amplitude)
                .round()
                .clamp(0.0, 255.0) as u8
        })
        .collect();
    image(i.width, i.height, pixels)
}

fn invert(i: &LumaImage) -> LumaImage {
    image(
        i.width,
        i.height,
        i.pixels.iter().map(|p| 255 - p).collect(),
    )
}

/// Light falling from the right: a third as bright on the left, with lower contrast.
fn lighting(i: &LumaImage) -> LumaImage {
    let pixels = i
        .pixels
        .iter()
        .enumerate()
        .map(|(n, &p)| {
            let x = (n as u32 % i.width) as f32 / i.width as f32;
            (40.0 + f32::from(p) * 0.7 * (0.35 + 0.65 * x))
                .round()
                .clamp(0.0, 255.0) as u8
        })
        .collect();
    image(i.width, i.height, pixels)
}

/// Turned by `degrees` about the centre on a white canvas that holds the whole image.
fn rotate(i: &LumaImage, degrees: f32) -> LumaImage {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (w, h) = (i.width as f32, i.height as f32);
    let (nw, nh) = (
        (w * cos.abs() + h * sin.abs()).round() as u32,
        (w * sin.abs() + h * cos.abs()).round() as u32,
    );
    let mut pixels = Vec::with_capacity((nw * nh) as usize);
    for y in 0..nh {
        for x in 0..nw {
            let (dx, dy) = (
                x as f32 + 0.5 - nw as f32 / 2.0,
                y as f32 + 0.5 - nh as f32 / 2.0,
            );
            pixels.push(bilinear(
                i,
                cos * dx + sin * dy + w / 2.0 - 0.5,
                -sin * dx + cos * dy + h / 2.0 - 0.5,
            ));
        }
    }
    image(nw, nh, pixels)
}

/// `code` pasted into a `width × height` grey frame with a gradient, noise and dark text-like
/// bars, right of the centre.
fn in_frame(code: &LumaImage, width: u32, height: u32, seed: u64) -> LumaImage {
    let mut random = Random(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) | 1);
    let mut pixels: Vec<u8> = (0..width * height)
        .map(|n| {
            let (x, y) = ((n % width) as f32, (n / width) as f32);
            (90.0 + 80.0 * x / width as f32 + 30.0 * (y / 37.0).sin() + random.unit() * 20.0) as u8
        })
        .collect();
    for bar in 0..40u32 {
        let top = (random.unit() * (height - 10) as f32) as u32;
        let left = (random.unit() * (width - 200) as f32) as u32;
        let length = 50 + (random.unit() * 150.0) as u32;
        for y in top..top + 6 {
            for x in left..left + length {
                pixels[(y * width + x) as usize] = 20 + bar as u8;
            }
        }
    }
    let (left, top) = ((width - code.width) * 3 / 5, (height - code.height) / 2);
    for y in 0..code.height {
        let row = &code.pixels[(y * code.width) as usize..][..code.width as usize];
        pixels[((top + y) * width + left) as usize..][..code.width as usize].copy_from_slice(row);
    }
    image(width, height, pixels)
}

/// A white square image tiled with finder patterns (7×7 modules of `module` pixels) every
/// `pitch` pixels: the worst case for finder-pattern searches.
fn finder_tiles(side: u32, module: u32, pitch: u32) -> LumaImage {
    let mut pixels = vec![255u8; (side * side) as usize];
    let corners: Vec<u32> = (0..)
        .map(|i| 2 + i * pitch)
        .take_while(|o| o + 7 * module < side)
        .collect();
    for &top in &corners {
        for &left in &corners {
            for my in 0..7i32 {
                for mx in 0..7i32 {
                    if (mx - 3).abs().max((my - 3).abs()) == 2 {
                        continue;
                    }
                    for y in 0..module {
                        let start =
                            (top + my as u32 * module + y) * side + left + mx as u32 * module;
                        pixels[start as usize..][..module as usize].fill(0);
                    }
                }
            }
        }
    }
    image(side, side, pixels)
}
