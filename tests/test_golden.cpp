// PyTorch as the referee: fcnn's forward pass, per-sample deltas, gradients, cost and one SGD step
// against what PyTorch autograd computed, read from tests/golden (written by make_golden.py with
// torch, by hand; this test needs no torch). Every pairing of cost and output activation that fcnn
// accepts, every hidden activation, 2-4 layers, batches of 1, 3 and 17, and saturated cases whose
// largest |z| is 50.
//
// The measure is normwise, one matrix at a time: largest |fcnn - torch| / largest |torch entry|.
// In double it must be at most 1e-13 (the two sum in other orders, so a few ulps of the largest
// entry apart); a float network, given the same numbers rounded to float, at most 1e-5 where
// nothing saturates.
//
// Except where PyTorch itself is farther than that from a better answer, which the files hold
// too (make_golden.py): in the saturated cases a sigmoid or tanh with |z| near 50 gives an a
// within an ulp of 1, sigma'(z) = a (1 - a) or 1 - a^2 loses its digits, and PyTorch's deltas
// are up to 1e-11 (and, in a matrix of tiny entries, 6e-6) from the exact math (mpmath).
// There a delta or gradient of fcnn may differ from PyTorch's by twice PyTorch's own error, and
// must be as close to the exact math; the same for float where PyTorch's own float32 is farther
// than 1e-5 from its double (a gradient that is a small difference of larger terms).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <type_traits>

#include <doctest/doctest.h>
#include <fcnn/data/gzip.hpp>
#include <fcnn/fcnn.hpp>

namespace fs = std::filesystem;

namespace {

const fs::path golden = fs::path(FCNN_SOURCE_DIR) / "tests" / "golden";
using Arrays = std::map<std::string, fcnn::NpyArray>;

Arrays read_golden(const std::string& file) {
    const fs::path path = golden / file;
    return fcnn::parse_npz(fcnn::data::read_file(path), path.string());
}

// One case of a golden file: its arrays are "case<k>.<name>".
class Case {
public:
    Case(const Arrays& arrays, std::size_t k) : arrays_(arrays), prefix_("case" + std::to_string(k) + ".") {}

    bool exists() const { return has("X"); }
    bool has(const std::string& name) const { return arrays_.count(prefix_ + name) != 0; }
    const fcnn::NpyArray& array(const std::string& name) const {
        const auto found = arrays_.find(prefix_ + name);
        if (found == arrays_.end()) throw std::runtime_error("the golden file has no array " + prefix_ + name);
        return found->second;
    }
    template <typename Scalar>
    fcnn::BasicMatrix<Scalar> matrix(const std::string& name) const {  // a 2-d array, rounded to Scalar
        const fcnn::NpyArray& a = array(name);
        if (a.shape.size() != 2) throw std::runtime_error("the golden array " + prefix_ + name + " is not a matrix");
        fcnn::BasicMatrix<Scalar> M(a.shape[0], a.shape[1]);
        std::transform(a.values.begin(), a.values.end(), M.values().begin(), [](double x) { return static_cast<Scalar>(x); });
        return M;
    }
    double number(const std::string& name) const { return array(name).values.at(0); }
    std::vector<std::string> activations() const {
        std::vector<std::string> names;
        const std::string& text = array("activations").text;
        for (std::size_t at = 0; at <= text.size();) {
            const std::size_t comma = std::min(text.find(',', at), text.size());
            names.push_back(text.substr(at, comma - at));
            at = comma + 1;
        }
        return names;
    }
    template <typename Scalar>
    fcnn::BasicNetwork<Scalar> network(const std::string& cost) const {
        std::vector<fcnn::BasicLayer<Scalar>> layers;
        const std::vector<std::string> names = activations();
        for (std::size_t l = 1; l <= names.size(); ++l) {
            const std::string n = std::to_string(l);
            layers.push_back({matrix<Scalar>("W" + n), matrix<Scalar>("b" + n), fcnn::Activation(names[l - 1])});
        }
        return fcnn::BasicNetwork<Scalar>(std::move(layers), fcnn::Cost(cost));
    }

private:
    const Arrays& arrays_;
    std::string prefix_;
};

// One matrix of fcnn against PyTorch's: the normwise error, and the printout of llm.c's
// test_gpt2 (the first values side by side, the largest difference, OK or NOT OK).
struct Comparison {
    double error = 0;  // largest |difference| / largest |torch entry|
    bool ok = false;
    std::string report;
};

template <typename Scalar>
Comparison compare(const std::string& what, const fcnn::BasicMatrix<Scalar>& fcnn_value, const fcnn::Matrix& torch_value,
                   double tolerance) {
    Comparison result;
    result.report = what + ": fcnn's is " + fcnn_value.shape() + ", torch's " + torch_value.shape() + "\n";
    if (fcnn_value.rows() != torch_value.rows() || fcnn_value.cols() != torch_value.cols()) {
        result.error = INFINITY;
        return result;
    }
    double largest_difference = 0, largest_entry = 0;
    std::size_t worst = 0;
    for (std::size_t i = 0; i < torch_value.size(); ++i) {
        const double difference = std::abs(double(fcnn_value.values()[i]) - torch_value.values()[i]);
        if (!(difference <= largest_difference)) {  // a NaN counts as the worst
            largest_difference = difference;
            worst = i;
        }
        largest_entry = std::max(largest_entry, std::abs(torch_value.values()[i]));
    }
    result.error = largest_difference == 0 ? 0 : largest_difference / largest_entry;
    result.ok = result.error <= tolerance;
    char line[240];
    for (std::size_t i = 0; i < std::min<std::size_t>(torch_value.size(), 5); ++i) {
        std::snprintf(line, sizeof line, "  [%zu] fcnn %.17g  torch %.17g\n", i, double(fcnn_value.values()[i]), torch_value.values()[i]);
        result.report += line;
    }
    std::snprintf(line, sizeof line,
                  "largest difference %.3e at element %zu, largest |entry| %.3e: normwise %.3e, tolerance %.0e: %s\n",
                  largest_difference, worst, largest_entry, result.error, tolerance, result.ok ? "OK" : "NOT OK");
    result.report += line;
    return result;
}

// The largest normwise error met so far, and where: printed at the end of each suite.
struct Largest {
    double error = 0;
    std::string where;
    void note(const Comparison& c, const std::string& where_now) {
        if (c.error <= error) return;  // a NaN error is never <=: it is noted
        error = c.error;
        where = where_now;
    }
};
struct Worst {
    Largest usual;    // of the matrices held to the suite's tolerance
    Largest widened;  // of those whose tolerance PyTorch's own error widened
};

template <typename Scalar>
void check(const std::string& what, const fcnn::BasicMatrix<Scalar>& fcnn_value, const fcnn::Matrix& torch_value,
           double tolerance, const std::string& where, Largest& largest) {
    const Comparison c = compare(what, fcnn_value, torch_value, tolerance);
    largest.note(c, where + ": " + what);
    INFO(c.report);
    CHECK(c.ok);
}

// How far PyTorch's own `name` is from the better answer the file holds for it, if any:
// "exact_<name>" (mpmath) for double, "float32_<name>" (PyTorch's float32) for float.
template <typename Scalar>
std::optional<Comparison> referee_error(const Case& golden_case, const std::string& name) {
    const std::string better = std::is_same_v<Scalar, double> ? "exact_" + name : "float32_" + name;
    if (!golden_case.has(better)) return std::nullopt;
    const fcnn::Matrix torch_value = golden_case.matrix<double>(name), other = golden_case.matrix<double>(better);
    return std::is_same_v<Scalar, double> ? compare(name, torch_value, other, 0) : compare(name, other, torch_value, 0);
}

// A delta or gradient: against PyTorch, with the tolerance widened to twice PyTorch's own error
// where that is larger; and then, where the file has the exact math, against it too.
template <typename Scalar>
void check_derivative(const std::string& what, const fcnn::BasicMatrix<Scalar>& fcnn_value, const Case& golden_case,
                      const std::string& name, double tolerance, const std::string& where, Worst& worst) {
    const std::optional<Comparison> referee = referee_error<Scalar>(golden_case, name);
    const double widened = referee ? std::max(tolerance, 2 * referee->error) : tolerance;
    check(what, fcnn_value, golden_case.matrix<double>(name), widened, where, widened > tolerance ? worst.widened : worst.usual);
    if (referee && std::is_same_v<Scalar, double>) {
        Largest ignored;  // the largest differences noted are those from PyTorch
        check(what + " against the exact math", fcnn_value, golden_case.matrix<double>("exact_" + name), widened, where, ignored);
    }
}

// fcnn on one golden case: feedforward, the per-sample deltas (BP1, BP2), the gradients (BP3,
// BP4), the cost, and one step of the SGD optimizer that train() uses.
template <typename Scalar>
void check_case(const Case& golden_case, const std::string& cost, double eta, double tolerance, const std::string& where,
                Worst& worst) {
    fcnn::BasicNetwork<Scalar> net = golden_case.network<Scalar>(cost);
    const fcnn::BasicMatrix<Scalar> X = golden_case.matrix<Scalar>("X"), Y = golden_case.matrix<Scalar>("Y");
    const fcnn::ForwardPass<Scalar> pass = net.feedforward(X);
    const std::vector<fcnn::BasicMatrix<Scalar>> deltas = net.deltas(Y, pass.z_s, pass.a_s);
    const fcnn::Gradients<Scalar> gradients = net.backprop(Y, pass.z_s, pass.a_s);
    const fcnn::Matrix cost_value(1, 1, fcnn::loss(net, X, Y));
    fcnn::BasicOptimizer<Scalar> sgd({.name = "sgd", .learning_rate = eta});
    sgd.step(fcnn::parameters(net, gradients));

    for (std::size_t l = 1; l <= net.layers().size(); ++l) {
        const std::string n = std::to_string(l);
        const auto expected = [&](const std::string& name) { return golden_case.matrix<double>(name + n); };
        check("z^" + n, pass.z_s[l - 1], expected("z"), tolerance, where, worst.usual);
        check("a^" + n, pass.a_s[l], expected("a"), tolerance, where, worst.usual);
        check_derivative("delta^" + n + " (per sample)", deltas[l - 1], golden_case, "delta" + n, tolerance, where, worst);
        check_derivative("nabla_w^" + n, gradients.nabla_w[l - 1], golden_case, "nabla_w" + n, tolerance, where, worst);
        check_derivative("nabla_b^" + n, gradients.nabla_b[l - 1], golden_case, "nabla_b" + n, tolerance, where, worst);
        check("W^" + n + " after one SGD step", net.layers()[l - 1].weights, expected("W_after"), tolerance, where, worst.usual);
        check("b^" + n + " after one SGD step", net.layers()[l - 1].biases, expected("b_after"), tolerance, where, worst.usual);
    }
    check("the cost C", cost_value, fcnn::Matrix(1, 1, golden_case.number("cost")), tolerance, where, worst.usual);
}

const std::vector<std::string> golden_files = {
    "quadratic-sigmoid.npz", "quadratic-tanh.npz",    "quadratic-relu.npz",          "quadratic-leaky_relu.npz",
    "quadratic-linear.npz",  "quadratic-softmax.npz", "cross_entropy-sigmoid.npz",   "cross_entropy-softmax.npz",
    "binary_cross_entropy-sigmoid.npz"};

// Calls check(case, cost, eta, saturated, where) for every case of every golden file; returns how many.
template <typename F>
std::size_t for_each_case(F check) {
    std::size_t cases = 0;
    for (const std::string& file : golden_files) {
        const Arrays arrays = read_golden(file);
        const std::string cost = file.substr(0, file.find('-'));
        const std::vector<double>& saturated = arrays.at("saturated").values;
        for (std::size_t k = 0; Case(arrays, k).exists(); ++k) {
            const Case golden_case(arrays, k);
            const bool is_saturated = std::find(saturated.begin(), saturated.end(), double(k)) != saturated.end();
            const std::string where = file + " case " + std::to_string(k) + " (" + golden_case.array("activations").text + ", cost " +
                                      cost + (is_saturated ? ", saturated" : "") + ")";
            INFO(where);
            check(golden_case, cost, arrays.at("eta").values.at(0), is_saturated, where);
            ++cases;
        }
    }
    return cases;
}

}  // namespace

TEST_CASE("the golden files hold every pairing of cost and output activation that fcnn accepts") {
    // A pairing fcnn accepts and no file covers, or a file of a pairing fcnn refuses, fails here.
    const std::vector<std::string> costs = {"quadratic", "cross_entropy", "binary_cross_entropy"};
    const std::vector<std::string> outputs = {"sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"};
    std::vector<std::string> accepted;
    for (const std::string& cost : costs)
        for (const std::string& output : outputs) {
            try {
                fcnn::Cost(cost).check_output_activation(fcnn::Activation(output));
                accepted.push_back(cost + "-" + output + ".npz");
            } catch (const std::invalid_argument&) {
            }
        }
    std::vector<std::string> files = golden_files;
    std::sort(accepted.begin(), accepted.end());
    std::sort(files.begin(), files.end());
    CHECK(files == accepted);
}

TEST_CASE("fcnn in double computes what PyTorch computes: z, a, deltas, gradients, cost, one SGD step") {
    Worst worst;
    const std::size_t cases = for_each_case([&](const Case& golden_case, const std::string& cost, double eta, bool, const std::string& where) {
        check_case<double>(golden_case, cost, eta, 1e-13, where, worst);
    });
    CHECK(cases == 36);  // 9 pairings, 4 cases each
    MESSAGE("double, held to 1e-13: the largest normwise error is " << worst.usual.error << ", in " << worst.usual.where);
    MESSAGE("double, widened by PyTorch's own error: the largest is " << worst.widened.error << ", in " << worst.widened.where);
}

TEST_CASE("fcnn in float agrees with PyTorch's double to 1e-5 where nothing saturates") {
    Worst worst;
    std::size_t checked = 0;
    for_each_case([&](const Case& golden_case, const std::string& cost, double eta, bool saturated, const std::string& where) {
        if (saturated) return;
        check_case<float>(golden_case, cost, eta, 1e-5, where, worst);
        ++checked;
    });
    CHECK(checked == 27);
    MESSAGE("float, held to 1e-5: the largest normwise error is " << worst.usual.error << ", in " << worst.usual.where);
    MESSAGE("float, widened by PyTorch's own error: the largest is " << worst.widened.error << ", in " << worst.widened.where);
}

TEST_CASE("the golden check catches a wrong value: one weight changed by 1e-10, one expected gradient by 1e-12") {
    // A comparison that cannot fail is no test. Change one weight of a golden case by 1e-10 of
    // itself: fcnn's gradients then differ from the file's by far more than 1e-13 normwise.
    Arrays arrays = read_golden("quadratic-sigmoid.npz");
    arrays.at("case2.W1").values[0] *= 1 + 1e-10;
    const Case changed(arrays, 2);
    const fcnn::Network net = changed.network<double>("quadratic");
    const fcnn::Matrix X = changed.matrix<double>("X"), Y = changed.matrix<double>("Y");
    const fcnn::ForwardPass<double> pass = net.feedforward(X);
    const Comparison caught = compare("nabla_w^1", net.backprop(Y, pass.z_s, pass.a_s).nabla_w[0], changed.matrix<double>("nabla_w1"), 1e-13);
    INFO(caught.report);
    CHECK(!caught.ok);
    CHECK(caught.error > 1e-13);
    CHECK(caught.report.find("NOT OK") != std::string::npos);

    // And the unchanged file's expected value nudged by 1e-12 of the largest entry is caught too.
    Arrays original = read_golden("quadratic-sigmoid.npz");
    const Case unchanged(original, 2);
    const fcnn::Network right = unchanged.network<double>("quadratic");
    const fcnn::ForwardPass<double> right_pass = right.feedforward(X);
    fcnn::Matrix expected = unchanged.matrix<double>("nabla_w1");
    const fcnn::Matrix computed = right.backprop(Y, right_pass.z_s, right_pass.a_s).nabla_w[0];
    CHECK(compare("nabla_w^1", computed, expected, 1e-13).ok);
    double largest = 0;
    for (double x : expected.values()) largest = std::max(largest, std::abs(x));
    expected.values()[expected.size() - 1] += 1e-12 * largest;
    CHECK(!compare("nabla_w^1", computed, expected, 1e-13).ok);
}
