//! Triples of finder patterns for codes seen at a steep angle.
//!
//! rxing's `GenerateFinderPatternSets` (a port of zxing-cpp's; Apache-2.0) rejects a triple
//! whose largest pattern is more than twice the smallest, and weighs each distance by the ratio
//! of the two patterns' sizes before it compares the two legs of the "L" (at most 2:1). On a
//! code tilted away from the camera the near patterns are easily twice the far one, and the
//! weighting lengthens exactly the legs that reach the near side: in the QR bench's perspective
//! frames every code had its three patterns found and no triple left (`qr::decoder`'s trace).
//! This generator is the same search with plain distances and limits that hold for a plane
//! tilted by up to about 75°: sizes within 4:1, legs within 4:1, the corner's angle 45°–135°
//! (at 3:1 the bench's most tilted codes, whose far pattern is a third of the near ones, lost
//! their triple).

use rxing::common::cpp_essentials::ConcentricPattern;
use rxing::qrcode::cpp_port::detector::FinderPatternSet;
use rxing::Point;

/// The largest size ratio between two patterns of one code.
const MAX_SIZE_RATIO: f32 = 4.0;
/// The largest length ratio between the two legs of the "L" (top and left edge).
const MAX_LEG_RATIO: f32 = 4.0;

/// Plausible triples of `patterns` for a steeply tilted code, most plausible first, leaving out
/// those `tried` already holds (compared by their three centres).
pub(crate) fn tilted_sets(
    patterns: &[ConcentricPattern],
    tried: &[FinderPatternSet],
) -> Vec<FinderPatternSet> {
    let cos_limit = std::f32::consts::FRAC_PI_4.cos(); // |cos| of 45° and 135°
    let mut sets: Vec<(f32, FinderPatternSet)> = Vec::new();
    let n = patterns.len();
    for i in 0..n {
        for j in i + 1..n {
            for k in j + 1..n {
                let trio = [patterns[i], patterns[j], patterns[k]];
                let sizes = trio.map(|p| p.size.max(1) as f32);
                let (small, large) = sizes
                    .iter()
                    .fold((f32::MAX, 0f32), |(s, l), &x| (s.min(x), l.max(x)));
                if large > MAX_SIZE_RATIO * small {
                    continue;
                }
                // The corner (top left) is opposite the longest side.
                let d = |a: usize, b: usize| Point::distance(trio[a].p, trio[b].p);
                let sides = [d(1, 2), d(0, 2), d(0, 1)]; // side opposite 0, 1, 2
                let corner = (0..3)
                    .max_by(|&a, &b| sides[a].total_cmp(&sides[b]))
                    .unwrap_or(0);
                let (mut a, tl, mut c) =
                    (trio[(corner + 1) % 3], trio[corner], trio[(corner + 2) % 3]);
                let (leg_a, leg_c) = (Point::distance(a.p, tl.p), Point::distance(c.p, tl.p));
                if leg_a.min(leg_c) <= 0.0 || leg_a.max(leg_c) > MAX_LEG_RATIO * leg_a.min(leg_c) {
                    continue;
                }
                let cos = Point::dot(a.p - tl.p, c.p - tl.p) / (leg_a * leg_c);
                if cos.abs() > cos_limit {
                    continue;
                }
                // Modules along the legs, from the patterns' sizes (7 modules each).
                let module = (sizes.iter().sum::<f32>()) / (3.0 * 7.0);
                let modules = (leg_a + leg_c) / (2.0 * module) + 7.0;
                if !(21.0 * 0.7..=177.0 * 1.5).contains(&modules) {
                    continue;
                }
                // Clockwise order: top right, top left, bottom left.
                if Point::cross(c.p - tl.p, a.p - tl.p) < 0.0 {
                    std::mem::swap(&mut a, &mut c);
                }
                let set = FinderPatternSet { bl: a, tl, tr: c };
                let same = |s: &FinderPatternSet| {
                    [s.bl.p, s.tl.p, s.tr.p] == [set.bl.p, set.tl.p, set.tr.p]
                };
                if tried.iter().any(same) {
                    continue;
                }
                // Squarer and more alike in size first.
                let score = (leg_a - leg_c).abs() / (leg_a + leg_c) + cos.abs() + large / small;
                sets.push((score, set));
            }
        }
    }
    sets.sort_by(|a, b| a.0.total_cmp(&b.0));
    sets.into_iter().map(|(_, set)| set).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rxing::point;

    fn pattern(x: f32, y: f32, size: i32) -> ConcentricPattern {
        ConcentricPattern {
            p: point(x, y),
            size,
        }
    }

    #[test]
    fn a_steeply_tilted_code_keeps_its_triple() {
        // From a bench frame (perspective, 1280×720): the near pattern twice the far ones.
        let patterns = [
            pattern(762.0, 207.0, 32),
            pattern(460.0, 262.0, 16),
            pattern(460.0, 457.0, 17),
        ];
        let mut stock = patterns.to_vec();
        assert!(
            rxing::qrcode::cpp_port::detector::GenerateFinderPatternSets(&mut stock).is_empty(),
            "rxing's own search now keeps this triple: the workaround may go"
        );
        let sets = tilted_sets(&patterns, &[]);
        assert_eq!(sets.len(), 1);
        let set = &sets[0];
        assert_eq!(
            [set.tl.p, set.tr.p, set.bl.p],
            [
                point(460.0, 262.0),
                point(762.0, 207.0),
                point(460.0, 457.0)
            ]
        );
        // Already tried: left out.
        assert!(tilted_sets(&patterns, &sets).is_empty());
    }

    #[test]
    fn patterns_of_very_different_sizes_or_in_a_line_make_no_triple() {
        let too_different = [
            pattern(0.0, 0.0, 10),
            pattern(300.0, 0.0, 50),
            pattern(0.0, 300.0, 10),
        ];
        assert!(tilted_sets(&too_different, &[]).is_empty());
        let in_a_line = [
            pattern(0.0, 0.0, 10),
            pattern(150.0, 0.0, 10),
            pattern(300.0, 0.0, 10),
        ];
        assert!(tilted_sets(&in_a_line, &[]).is_empty());
    }
}
