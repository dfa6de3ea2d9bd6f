// The native reference for the page's numbers (web/test_playground.py compares them): the same
// settings and data as the page, trained by the library's own fcnn::train, printed as JSON.
//
//   build/web/playground-reference 'data=xor&layers=2,4,1&activations=tanh,sigmoid&seed=1' 200
//
// prints {"loss": ..., "accuracy": ..., "first_batch": [...], "deltas": [...]}: the last epoch's
// loss and accuracy as train reports them, and for the first batch of epoch 1 (the first
// batch_size samples of the order Random(seed) shuffles, as train draws it) the deltas of
// Network::deltas before any update.
#include <cstdint>
#include <cstdio>
#include <exception>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>

#include <fcnn/number_text.hpp>

#include "json.hpp"
#include "playground.hpp"

using namespace playground;

namespace {

std::string first_batch_json(const Settings& settings, const DataSet& data) {
    const fcnn::Network net = make_network(settings);
    std::vector<std::size_t> order(data.X.cols());
    std::iota(order.begin(), order.end(), std::size_t(0));
    fcnn::Random(settings.seed).shuffle(order);
    order.resize(std::min(order.size(), settings.batch_size));
    fcnn::Matrix x, y;
    fcnn::gather_columns_into(x, data.X, order);
    fcnn::gather_columns_into(y, data.Y, order);
    const fcnn::ForwardPass<double> pass = net.feedforward(x);
    std::string text = "\"first_batch\":";  // built with += as GCC 12 misreads "..." + string (-Wrestrict)
    text += json::array(order);
    text += ",\"deltas\":" + json::matrices(net.deltas(y, pass.z_s, pass.a_s));
    return text;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s QUERY EPOCHS\n  e.g. %s 'data=xor&layers=2,4,1&seed=1' 200\n", argv[0], argv[0]);
        return 2;
    }
    try {
        const Settings settings = parse_settings(argv[1]);
        const DataSet data = make_data(settings);
        fcnn::Network net = make_network(settings);
        const std::optional<std::uint64_t> epochs = fcnn::parse_whole_number(argv[2]);
        if (!epochs || *epochs == 0 || *epochs > SIZE_MAX)
            throw std::invalid_argument("EPOCHS: expected a whole number of at least 1, got '" + std::string(argv[2]) + "'");
        const fcnn::History history = fcnn::train(net, data.X, data.Y, train_options(settings, static_cast<std::size_t>(*epochs)));
        std::printf("{\"loss\":%s,\"accuracy\":%s,%s}\n", json::quoted(json::number(history.back().loss)).c_str(),
                    json::quoted(json::number(*history.back().accuracy)).c_str(), first_batch_json(settings, data).c_str());
    } catch (const std::exception& error) {
        std::fprintf(stderr, "error: %s\n", error.what());
        return 1;
    }
}
