// The files fcnn train writes besides the model: a plot of the training (SVG), a log of the
// epochs (CSV) and a picture of the first layer's weights (PNG), written with
// fcnn::write_file_atomically, so a failure never leaves half a file over an old one.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <fcnn/matrix.hpp>

#include "progress.hpp"

namespace cli {

// Loss and accuracy per epoch, training and (when there is one) validation, as two charts.
std::string training_plot_svg(const std::vector<EpochLine>& epochs, const std::string& title);

// epoch,loss,accuracy,val_loss,val_accuracy,seconds
std::string training_log_csv(const std::vector<EpochLine>& epochs);

// Where weights_png puts things: tiles of side x side weights, each weight a scale x scale square
// of pixels, `columns` tiles a row with `gap` pixels between them, and a legend below.
struct WeightsImageLayout {
    std::size_t side = 0, scale = 0, columns = 0, width = 0, height = 0;
    std::size_t gap = 4, legend_height = 48;
};
// Throws std::runtime_error unless the inputs form a square (784 = 28 x 28, 64 = 8 x 8).
WeightsImageLayout weights_image_layout(std::size_t neurons, std::size_t inputs);

// Each row of W (one neuron's weights over the inputs) as a square tile, scaled up (at least 4
// pixels a weight, tiles at least 64 pixels wide), tiles in a grid with grey gaps. Colours are
// diverging, on one scale for all tiles: blue negative, white zero, red positive, the strongest
// at the largest |weight|, which the legend (a colour bar) prints. An RGB PNG, compressed: a row
// that repeats the one above costs a few bytes, and a flat square a few bytes a row.
std::string weights_png(const fcnn::Matrix& W);

// The samples (rows of X_rows, one per sample) as grey images in a grid, each labelled below
// with labels[i] (digits, '-', '.', '+' and '>'), each image scaled from its darkest to its
// lightest pixel. The features must form a square image (784 = 28 x 28, 64 = 8 x 8).
std::string samples_png(const fcnn::FloatMatrix& X_rows, const std::vector<std::size_t>& samples,
                        const std::vector<std::string>& labels);

}  // namespace cli
